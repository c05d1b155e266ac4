/**
 * A mock of the Etherscan contract-verification API for tests, run as its own process (so the CLI under test and
 * the mock never share an event loop): `node mock-explorer.js <port> <apiKey>`.
 *   GET  ?action=getabi&address=          status 1 once verified, else 0
 *   POST action=verifysourcecode (form)   records the submission, answers a guid
 *   GET  ?action=checkverifystatus&guid=  "Pass - Verified" (or "Fail - Unable to verify" for a rejected address)
 * Test controls: GET /__state (submissions), /__reject?address=, /__unverify?address=.
 */
const http = require("http");

/** Starts the mock (only when run as a program: `hardhat test` also loads every .js file under test/). */
function main() {
  const [port, apiKey] = process.argv.slice(2);
  const submitted = [];
  const verified = new Set();
  let reject;

  http
    .createServer((req, res) => {
      const url = new URL(req.url || "/", "http://127.0.0.1");
      const json = (body) => res.end(JSON.stringify(body));
      const reply = (status, result) => json({ status, message: status === "1" ? "OK" : "NOTOK", result });
      if (url.pathname === "/__state") return json({ submitted });
      if (url.pathname === "/__reject") {
        reject = url.searchParams.get("address").toLowerCase();
        return json({});
      }
      if (url.pathname === "/__unverify") {
        verified.delete(url.searchParams.get("address").toLowerCase());
        return json({});
      }
      if (req.method === "POST") {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          const p = Object.fromEntries(new URLSearchParams(body));
          if (p.apikey !== apiKey) return reply("0", "Invalid API Key");
          if (p.action !== "verifysourcecode") return reply("0", "unknown action");
          submitted.push(p);
          reply("1", `guid-${p.contractaddress.toLowerCase()}`);
        });
        return;
      }
      if (url.searchParams.get("apikey") !== apiKey) return reply("0", "Invalid API Key");
      const action = url.searchParams.get("action");
      if (action === "getabi") {
        const a = (url.searchParams.get("address") || "").toLowerCase();
        return verified.has(a) ? reply("1", "[]") : reply("0", "Contract source code not verified");
      }
      if (action === "checkverifystatus") {
        const a = (url.searchParams.get("guid") || "").slice(5);
        if (a === reject) return reply("0", "Fail - Unable to verify");
        verified.add(a);
        return reply("1", "Pass - Verified");
      }
      reply("0", "unknown action");
    })
    .listen(Number(port), "127.0.0.1", () => console.log("ready"));
}

if (require.main === module) main();
