import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** axe-core with the WCAG 2.0/2.1 A and AA rules on the page (or one part of it): no violation, or none serious or critical. */
export async function expectAccessible(page: Page, opts: { include?: string; seriousOnly?: boolean; what?: string } = {}): Promise<void> {
  const builder = new AxeBuilder({ page });
  const { violations } = await (opts.include ? builder.include(opts.include) : builder).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const counted = opts.seriousOnly ? violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') : violations;
  expect(counted.map((v) => `${opts.what ? `${opts.what}: ` : ''}${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
}
