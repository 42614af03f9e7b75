import type { TestApp } from '../support/test-app.js';

export async function benchEscalation(_t: TestApp, _line: (name: string, value: string) => void): Promise<void> {}
