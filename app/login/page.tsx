import type { Metadata } from 'next';
import { safeNextPath } from '@/server/contracts/auth';
import { LoginClient } from './client';

export const metadata: Metadata = { title: 'Log in · kubexms' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next, error } = await searchParams;
  return <LoginClient next={safeNextPath(typeof next === 'string' ? next : undefined)} ssoError={typeof error === 'string' ? error.slice(0, 300) : null} />;
}
