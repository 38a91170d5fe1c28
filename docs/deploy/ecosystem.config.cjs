// Example pm2 configuration: two catalog-cms replicas on ports 3001 and 3002 behind nginx
// (nginx/catalog-cms.conf). Copy it to /srv/catalog-cms and run
//   pm2 start ecosystem.config.cjs && pm2 save
// after `npm ci`, `npm run build` and `npm run migrate` (docs/RUNBOOK.md, Deployment), with
// Node.js 24 LTS or newer as the `node` on pm2's PATH (Node 20 reached end of life in April 2026).
// Secrets (DATABASE_URL, PAYLOAD_SECRET, R2_*, …) come from the environment pm2 is started with,
// or from a `.env.production` file next to package.json that only the app's user can read.
const replicaPorts = [3001, 3002]

module.exports = {
  apps: replicaPorts.map((port) => ({
    name: `catalog-cms-${port}`,
    // The release in use (docs/RUNBOOK.md, Deployment); read again at every restart.
    cwd: '/srv/catalog-cms/current',
    // What `npm start` runs, without npm in between, so pm2's signal reaches the server: the
    // server `npm run build` compiled, one node process with no TypeScript loader.
    script: 'dist/server/main.js',
    interpreter: 'node',
    exec_mode: 'fork',
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      TRUST_PROXY: '1',
      // See docs/RUNBOOK.md, Zero-downtime deploys.
      SHUTDOWN_DRAIN_SECONDS: '2',
    },
    // pm2 stops with SIGINT, then SIGKILL after kill_timeout. The app drains on SIGINT as on
    // SIGTERM: SHUTDOWN_DRAIN_SECONDS, then up to 10 s for requests in flight, then closes its
    // pools. Keep kill_timeout above their sum.
    kill_timeout: 20_000,
    // Restart one replica at a time with `pm2 restart catalog-cms-3001` after taking it out of
    // nginx; never `pm2 restart all` (both replicas would stop together).
    autorestart: true,
    max_restarts: 10,
    restart_delay: 2_000,
  })),
}
