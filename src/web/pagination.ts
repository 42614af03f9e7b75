import type { Page } from '../common/pagination.js';

/** What the pagination partial and a table caption show. */
export interface Pager {
  total: number;
  page: number;
  pages: number;
  /** 1-based position of the first and last row shown (0 when there are none) */
  from: number;
  to: number;
  previous: string | null;
  next: string | null;
}

/** Links to the neighbouring pages keep the current filter. */
export function pagerFor(result: Page<unknown>, path: string, filter: Record<string, string | undefined>): Pager {
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const href = (page: number): string => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(filter)) if (value) params.set(name, value);
    if (page > 1) params.set('page', String(page));
    const query = params.toString();
    return query ? `${path}?${query}` : path;
  };
  const from = result.total === 0 ? 0 : (result.page - 1) * result.pageSize + 1;
  return {
    total: result.total,
    page: result.page,
    pages,
    from: Math.min(from, result.total),
    to: Math.min(result.page * result.pageSize, result.total),
    previous: result.page > 1 ? href(Math.min(result.page - 1, pages)) : null,
    next: result.page < pages ? href(result.page + 1) : null,
  };
}
