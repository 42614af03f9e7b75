import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `?page=&pageSize=` on every list. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1_000_000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 50;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A whole (unpaged) list: `{items, total}`. */
export interface List<T> {
  items: T[];
  total: number;
}

export function pageOf<T>(items: T[], total: number, query: PageQuery): Page<T> {
  return { items, total, page: query.page, pageSize: query.pageSize };
}

export function skipTake(query: PageQuery): { skip: number; take: number } {
  return { skip: (query.page - 1) * query.pageSize, take: query.pageSize };
}

// ---------------------------------------------------------------- OpenAPI

type Model = abstract new (...args: never[]) => object;

const pages = new Map<Model, Model>();
const lists = new Map<Model, Model>();

/** The schema name of a response class (its `@ApiSchema` name, or its class name). */
function schemaNameOf(item: Model): string {
  return getSchemaPath(item).slice('#/components/schemas/'.length);
}

function listModel(item: Model, paged: boolean): Model {
  const name = `${schemaNameOf(item)}${paged ? 'Page' : 'List'}`;
  class ListModel {}
  ApiProperty({ type: [item] })(ListModel.prototype, 'items');
  ApiProperty({ type: 'integer', minimum: 0, description: paged ? 'how many match, over all pages' : 'how many items' })(ListModel.prototype, 'total');
  if (paged) {
    ApiProperty({ type: 'integer', minimum: 1 })(ListModel.prototype, 'page');
    ApiProperty({ type: 'integer', minimum: 1, maximum: 200 })(ListModel.prototype, 'pageSize');
  }
  ApiSchema({ name, description: paged ? `A page of ${schemaNameOf(item)} (\`?page=&pageSize=\`)` : `Every ${schemaNameOf(item)}` })(ListModel);
  return ListModel;
}

/**
 * The response schema of a paged list of `item`, `{items, total, page, pageSize}`, named
 * `<Item>Page`: `@ApiOkResponse({ type: PageOf(StaffView) })`. One class per item type.
 */
export function PageOf(item: Model): Model {
  let model = pages.get(item);
  if (!model) pages.set(item, (model = listModel(item, true)));
  return model;
}

/** The response schema of a whole list of `item`, `{items, total}`, named `<Item>List`. */
export function ListOf(item: Model): Model {
  let model = lists.get(item);
  if (!model) lists.set(item, (model = listModel(item, false)));
  return model;
}
