/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` runs `tsc --noEmit` over the whole project (app, server, worker) once; checking the
  // app again inside every `next build` only doubles the time.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
