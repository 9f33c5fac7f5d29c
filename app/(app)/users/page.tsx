import type { Metadata } from 'next';
import { UsersClient } from './client';

export const metadata: Metadata = { title: 'Users · kubexms' };

export default function UsersPage() {
  return <UsersClient />;
}
