import type { Metadata } from 'next';
import { AccountClient } from './client';

export const metadata: Metadata = { title: 'Account · kubexms' };

export default function AccountPage() {
  return <AccountClient />;
}
