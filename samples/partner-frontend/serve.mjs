// A tiny static file server for the partner front end (no dependencies):
//   node samples/partner-frontend/serve.mjs [--port 5300] [--host 127.0.0.1]
// Serves this folder (index.html, styles.css and the compiled dist/) and nothing above it.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));
const types = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".png": "image/png",
};

function option(name, fallback) {
    const index = process.argv.indexOf(`--${name}`);
    return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const host = option("host", "127.0.0.1");
const port = Number(option("port", "5300"));

const server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://localhost");
    const relative = decodeURIComponent(pathname === "/" ? "/index.html" : pathname);
    const file = path.resolve(root, `.${relative}`);
    const type = types[path.extname(file)];
    if (request.method !== "GET" && request.method !== "HEAD") {
        response.writeHead(405, { Allow: "GET, HEAD" }).end();
        return;
    }
    if (!file.startsWith(root + path.sep) || !type || path.basename(file) === "serve.mjs") {
        response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
        return;
    }
    try {
        if (!(await stat(file)).isFile()) {
            throw new Error("not a file");
        }
    } catch {
        response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
        return;
    }
    response.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
    if (request.method === "HEAD") {
        response.end();
        return;
    }
    createReadStream(file).pipe(response);
});

server.listen(port, host, () => console.log(`partner front end on http://${host}:${port}/`));
for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
        server.close(() => process.exit(0));
        server.closeAllConnections();
    });
}
