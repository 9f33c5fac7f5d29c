/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ['better-sqlite3', 'ssh2'],
  allowedDevOrigins: ['127.0.0.1', 'localhost'],
};
export default nextConfig;
