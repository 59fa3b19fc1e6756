import type { APIRequestContext, Page } from "@playwright/test";

export type TApplied = { version: number; gray: boolean; behaviour: { latencyMs: number; errorRate: number } };

/** What a demo instance runs with now, read from its own endpoint, not from Meshdeck. */
export async function appliedBy(request: APIRequestContext, address: string): Promise<TApplied> {
  return (await (await request.get(`http://${address}/_demo/config`)).json()) as TApplied;
}

/** Replaces the CodeMirror editor's whole content, as typing would. */
export async function replaceContent(page: Page, text: string) {
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}
