// Starts what the Node tests drive: the built service (on a fresh SQLite file, in the Production
// environment), its admin commands, and Prism as a validating proxy in front of it. Every process
// started here is stopped by `stop()`, and killed if the test process exits first.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer, type Server } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
export const clientDir = path.join(repoRoot, "clients", "typescript");
export const openApiDocument = path.join(repoRoot, "docs", "openapi", "v1.json");

const running = new Set<ChildProcess>();
process.on("exit", () => {
    for (const child of running) {
        child.kill("SIGKILL");
    }
});

function findRepoRoot(start: string): string {
    for (let directory = start; ; directory = path.dirname(directory)) {
        if (existsSync(path.join(directory, "Webhooks.sln"))) {
            return directory;
        }
        if (path.dirname(directory) === directory) {
            throw new Error(`Webhooks.sln not found above ${start}`);
        }
    }
}

/** The built service: $WEBHOOKS_API_DLL, else the newer of the Release and Debug builds of src/Api. */
export function apiDll(): string {
    const configured = process.env["WEBHOOKS_API_DLL"];
    if (configured) {
        return path.resolve(configured);
    }
    const candidates = ["Release", "Debug"]
        .map((configuration) => path.join(repoRoot, "src", "Api", "bin", configuration, "net10.0", "Webhooks.Api.dll"))
        .filter((candidate) => existsSync(candidate))
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    const newest = candidates[0];
    if (!newest) {
        throw new Error("The service is not built: run `dotnet build Webhooks.sln -c Release` (or set WEBHOOKS_API_DLL).");
    }
    return newest;
}

/** A TCP port that was free a moment ago, on 127.0.0.1. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
        });
    });
}

/** A child process whose output is kept, and which can be waited for and stopped. */
class Process {
    readonly #child: ChildProcess;
    readonly #exited: Promise<number | null>;
    #output = "";

    constructor(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
        this.#child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
        running.add(this.#child);
        this.#child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (this.#output += chunk));
        this.#child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (this.#output += chunk));
        this.#exited = new Promise((resolve) => this.#child.on("exit", (code) => {
            running.delete(this.#child);
            resolve(code);
        }));
    }

    get output(): string {
        return this.#output;
    }

    get hasExited(): boolean {
        return this.#child.exitCode !== null || this.#child.signalCode !== null;
    }

    /** Waits until the output matches, or fails after the timeout (or when the process ends). */
    async waitForOutput(pattern: RegExp, timeoutMs: number, what: string): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (!pattern.test(this.#output)) {
            if (this.hasExited || Date.now() > deadline) {
                throw new Error(`${what} did not start:\n${this.#output}`);
            }
            await delay(100);
        }
    }

    /** SIGTERM, then SIGKILL after 10 seconds. */
    async stop(): Promise<void> {
        if (this.hasExited) {
            return;
        }
        this.#child.kill("SIGTERM");
        const timer = setTimeout(() => this.#child.kill("SIGKILL"), 10_000);
        await this.#exited;
        clearTimeout(timer);
    }
}

function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface ServiceOptions {
    /** Origins allowed by CORS (Cors:AllowedOrigins); none by default. */
    corsOrigins?: string[];
    /** Deliver to this local receiver: the worker on, its CA trusted, 127.0.0.0/8 allowed. Off by default. */
    receiver?: Receiver;
    /** With a receiver, whether the worker runs (default true); without one it never does. A manual retry attempts either way. */
    worker?: boolean;
}

/** The service on a port of its own, with a database and data-protection keys of its own. */
export class Service {
    readonly baseUrl: string;
    readonly #process: Process;
    readonly #dll: string;
    readonly #env: NodeJS.ProcessEnv;
    readonly #dataDirectory: string;

    private constructor(baseUrl: string, process: Process, dll: string, env: NodeJS.ProcessEnv, dataDirectory: string) {
        this.baseUrl = baseUrl;
        this.#process = process;
        this.#dll = dll;
        this.#env = env;
        this.#dataDirectory = dataDirectory;
    }

    static async start(options: ServiceOptions = {}): Promise<Service> {
        const dll = apiDll();
        const dataDirectory = mkdtempSync(path.join(tmpdir(), "webhooks-node-tests-"));
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            ASPNETCORE_ENVIRONMENT: "Production",
            DOTNET_NOLOGO: "1",
            DOTNET_CLI_TELEMETRY_OPTOUT: "1",
            Database__Provider: "Sqlite",
            ConnectionStrings__Webhooks: `Data Source=${path.join(dataDirectory, "webhooks.db")}`,
            DataProtection__KeysPath: path.join(dataDirectory, "keys"),
            Logging__LogLevel__Default: "Warning",
            // These tests are about the HTTP API: the deliveries they cause stay pending instead of
            // being attempted against their example hosts (delivery is tested end to end in the .NET suite).
            Delivery__Worker__Enabled: "false",
        };
        (options.corsOrigins ?? []).forEach((origin, index) => (env[`Cors__AllowedOrigins__${index}`] = origin));
        if (options.receiver) {
            Object.assign(env, {
                Delivery__Worker__Enabled: String(options.worker ?? true),
                Delivery__TrustedCertificatesPath: options.receiver.caFile,
                Webhooks__AllowedPrivateNetworks__0: "127.0.0.0/8",
                // A failed attempt waits an hour for the next: what a test sees does not change under it.
                Delivery__RetryScheduleSeconds__0: "3600",
            });
        }

        const port = await freePort();
        const baseUrl = `http://127.0.0.1:${port}`;
        const child = new Process("dotnet", [dll, "--urls", baseUrl], { cwd: path.dirname(dll), env });
        const service = new Service(baseUrl, child, dll, env, dataDirectory);
        const deadline = Date.now() + 60_000;
        for (;;) {
            try {
                const response = await fetch(`${baseUrl}/healthz/ready`);
                if (response.ok) {
                    return service;
                }
            } catch {
                // not listening yet
            }
            if (child.hasExited || Date.now() > deadline) {
                await service.stop();
                throw new Error(`the service did not become ready:\n${child.output}`);
            }
            await delay(200);
        }
    }

    /**
     * Runs an admin command of the same executable, on the same database; resolves to the JSON object
     * it prints. Asynchronous on purpose: a blocked event loop would miss the server closing idle
     * keep-alive connections, and the next request would go out on a dead socket.
     */
    admin<T>(...args: string[]): Promise<T> {
        return new Promise((resolve, reject) => {
            const child = spawn("dotnet", [this.#dll, ...args], { cwd: path.dirname(this.#dll), env: this.#env, stdio: ["ignore", "pipe", "pipe"] });
            running.add(child);
            let stdout = "";
            let stderr = "";
            child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
            child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
            child.on("error", reject);
            child.on("close", (code) => {
                running.delete(child);
                if (code !== 0) {
                    reject(new Error(`admin ${args.join(" ")} exited ${code}: ${stderr}`));
                    return;
                }
                try {
                    resolve(JSON.parse(stdout) as T);
                } catch (error: unknown) {
                    reject(new Error(`admin ${args.join(" ")} printed no JSON object: ${stdout}${stderr}`, { cause: error }));
                }
            });
        });
    }

    get output(): string {
        return this.#process.output;
    }

    async stop(): Promise<void> {
        await this.#process.stop();
        rmSync(this.#dataDirectory, { recursive: true, force: true });
    }
}

/**
 * Prism as a validating proxy (`prism proxy <committed document> <service> --errors`): a request or a
 * response that breaks the document becomes an error response (422 or 500) instead of reaching the
 * caller, and is logged; `violations()` lists every such log line.
 */
export class ContractValidator {
    readonly baseUrl: string;
    readonly #process: Process;

    private constructor(baseUrl: string, process: Process) {
        this.baseUrl = baseUrl;
        this.#process = process;
    }

    static async start(upstream: string, document: string = openApiDocument): Promise<ContractValidator> {
        const port = await freePort();
        const prism = path.join(clientDir, "node_modules", ".bin", "prism");
        const child = new Process(
            prism,
            ["proxy", document, upstream, "--errors", "--cors=false", "--host", "127.0.0.1", "--port", String(port)],
            { cwd: clientDir, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } },
        );
        await child.waitForOutput(/Prism is listening on/, 60_000, "Prism");
        return new ContractValidator(`http://127.0.0.1:${port}`, child);
    }

    /**
     * Log lines that report a request or response that does not match the document. Prism logs a
     * violation just after it answers, so this waits up to `settleMs` for one to show up.
     */
    async violations(settleMs = 1_000): Promise<string[]> {
        const deadline = Date.now() + settleMs;
        for (;;) {
            // Prism's level marker says what a line is: an info line that merely contains the word
            // "error" (a request path, say) reports no violation.
            const lines = this.#process.output.split("\n")
                .filter((line) => !/ℹ\s+info\b/.test(line) && /violation|✖|⚠|\berror\b|\bwarning\b/i.test(line));
            if (lines.length > 0 || Date.now() >= deadline) {
                return lines;
            }
            await delay(50);
        }
    }

    get output(): string {
        return this.#process.output;
    }

    stop(): Promise<void> {
        return this.#process.stop();
    }
}

/** What a receiver answers to one webhook (its parsed JSON body), sent to this path (e.g. `/partner/orders`). */
export type Answer = (webhook: { type: string }, path: string) => { status: number; body: string };

/**
 * An HTTPS webhook receiver on 127.0.0.1, with a CA and a server certificate made by openssl (as
 * build/crash/receiver.py does); the service trusts the CA when started with `receiver`.
 */
export class Receiver {
    readonly url: string;
    readonly caFile: string;
    readonly #server: Server;
    readonly #directory: string;

    private constructor(url: string, caFile: string, server: Server, directory: string) {
        this.url = url;
        this.caFile = caFile;
        this.#server = server;
        this.#directory = directory;
    }

    static async start(answer: Answer): Promise<Receiver> {
        const directory = mkdtempSync(path.join(tmpdir(), "webhooks-receiver-"));
        const file = (name: string): string => path.join(directory, name);
        const openssl = (...args: string[]): void => void execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", file("ca.key"), "-out", file("ca.pem"),
            "-days", "2", "-subj", "/CN=Webhooks Node test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=127.0.0.1");
        writeFileSync(file("server.ext"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial", "-out", file("server.pem"), "-days", "2", "-extfile", file("server.ext"));

        const server = createHttpsServer({ key: readFileSync(file("server.key")), cert: readFileSync(file("server.pem")) }, (request, response) => {
            let body = "";
            request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => {
                const reply = answer(JSON.parse(body) as { type: string }, new URL(request.url ?? "/", "https://127.0.0.1").pathname);
                response.writeHead(reply.status, { "Content-Type": "text/html; charset=utf-8" }).end(reply.body);
            });
        });
        const port = await new Promise<number>((resolve, reject) => {
            server.on("error", reject);
            server.listen(0, "127.0.0.1", () => {
                const address = server.address();
                return typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"));
            });
        });
        return new Receiver(`https://127.0.0.1:${port}`, file("ca.pem"), server, directory);
    }

    async stop(): Promise<void> {
        this.#server.closeAllConnections();
        await new Promise((resolve) => this.#server.close(resolve));
        rmSync(this.#directory, { recursive: true, force: true });
    }
}

/** The partner front end's static server (samples/partner-frontend/serve.mjs), on an origin of its own. */
export class FrontEnd {
    readonly origin: string;
    readonly #process: Process;

    private constructor(origin: string, process: Process) {
        this.origin = origin;
        this.#process = process;
    }

    static async start(): Promise<FrontEnd> {
        const port = await freePort();
        const folder = path.join(repoRoot, "samples", "partner-frontend");
        if (!existsSync(path.join(folder, "dist", "samples", "partner-frontend", "src", "app.js"))) {
            throw new Error("The front end is not compiled: run `npm run build` in clients/typescript.");
        }
        const child = new Process(process.execPath, [path.join(folder, "serve.mjs"), "--host", "127.0.0.1", "--port", String(port)], { cwd: folder, env: process.env });
        await child.waitForOutput(/partner front end on/, 15_000, "The front end's server");
        return new FrontEnd(`http://127.0.0.1:${port}`, child);
    }

    stop(): Promise<void> {
        return this.#process.stop();
    }
}

export interface IssuedKey {
    id: string;
    key: string;
}

export interface IssuedClient {
    client_id: string;
    client_secret: string;
}

/** An organization with a read-write and a read-only key, through the admin commands. */
export async function createOrganization(service: Service, name: string): Promise<{ orgId: string; writeKey: string; writeKeyId: string; readKey: string }> {
    const org = await service.admin<{ id: string }>("orgs", "create", "--name", name);
    const write = await service.admin<IssuedKey>("keys", "create", "--org", org.id, "--scopes", "webhooks:read,webhooks:write", "--name", "write");
    const read = await service.admin<IssuedKey>("keys", "create", "--org", org.id, "--scopes", "webhooks:read", "--name", "read");
    return { orgId: org.id, writeKey: write.key, writeKeyId: write.id, readKey: read.key };
}
