// The pages of the site that the quality checks (axe, console) go through.

/** Waits until Swagger UI has fetched and rendered the spec (no fixed sleep). */
export async function waitForSwagger(page) {
  const title = page.locator('#swagger-ui .info .title');
  await title.waitFor({ state: 'visible' });
  return title;
}

/**
 * name, path, the HTTP status the document answers, and how to wait until the page is
 * what a visitor sees (beyond the load event).
 */
export const PAGES = [
  { name: 'home', path: '/', status: 200, ready: async () => {} },
  { name: 'not found', path: '/no-existe', status: 404, ready: async () => {} },
  { name: 'API docs', path: '/api/docs', status: 200, ready: waitForSwagger },
];
