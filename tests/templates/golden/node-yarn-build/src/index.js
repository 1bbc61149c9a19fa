// svc: a minimal example service; replace it with yours.
// It answers /, which the image's HEALTHCHECK asks, on the port
// in PORT (default 3000), with nothing but Node.js's own http module: no dependencies.
"use strict";

const http = require("http");

const port = Number(process.env.PORT || 3000);
const healthPath = "/";

const server = http.createServer((request, response) => {
  const path = new URL(request.url, "http://localhost").pathname;
  let status = 200;
  let body = "hello from svc\n";
  if (path === healthPath) {
    body = "ok\n";
  } else if (path !== "/") {
    status = 404;
    body = "not found\n";
  }
  response.writeHead(status, { "Content-Type": "text/plain" });
  response.end(body);
});

server.listen(port, () => console.log(`svc listening on port ${port}`));
// `docker stop` sends SIGTERM, which node as PID 1 ignores by default: close and exit.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
