import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** axe-core with the WCAG 2.0/2.1 A and AA rules on the page (or one part of it): no violation, or none serious or critical; `soft` lets a sweep go on and report every page; `rules` runs only those. */
export async function expectAccessible(page: Page, opts: { include?: string; seriousOnly?: boolean; what?: string; soft?: boolean; rules?: string[] } = {}): Promise<void> {
  const builder = new AxeBuilder({ page });
  const scoped = opts.include ? builder.include(opts.include) : builder;
  const { violations } = await (opts.rules ? scoped.withRules(opts.rules) : scoped.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])).analyze();
  const counted = opts.seriousOnly ? violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') : violations;
  (opts.soft ? expect.soft : expect)(counted.map((v) => `${opts.what ? `${opts.what}: ` : ''}${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
}

/** Every element that shows a status (data-status) also says it in words or an icon, never by colour alone. */
export async function expectStatusInWords(page: Page, what = '', soft = false): Promise<void> {
  const silent = await page.locator('main [data-status]').evaluateAll((els) => els.flatMap((e) => {
    const status = e.getAttribute('data-status') ?? '';
    const said = `${e.getAttribute('aria-label') ?? ''} ${e.getAttribute('title') ?? ''} ${e.textContent ?? ''}`.toLowerCase();
    const words = status === 'running' ? ['running', 'connecting'] : [status.split('-')[0] ?? status];
    return words.some((w) => said.includes(w)) ? [] : [`${e.tagName.toLowerCase()}[data-status=${status}] "${said.trim().slice(0, 60)}"`];
  }));
  (soft ? expect.soft : expect)(silent, `${what}: status shown by colour alone`).toEqual([]);
}

/** The axe rules whose outcome depends on colours: what a second theme over the same DOM can change. */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];
