/** The app's command-line pieces: `npm run app` options, the config embedded in index.html, `app:build`'s config. */
import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { parseArgs } from "../scripts/app";
import { injectConfig } from "../scripts/serve";
import { networkConfig } from "../scripts/build";
import { fitLabel, LABEL_CHARS } from "../src/labels";

describe("The app's command line", function () {
  it("defaults to ports 8545, 4000 and 5173 and takes --node-port, --api-port and --app-port", function () {
    expect(parseArgs([])).to.deep.equal({ nodePort: 8545, apiPort: 4000, appPort: 5173, rebuild: false });
    expect(parseArgs(["--node-port", "9545", "--api-port=4100", "--app-port", "5200"])).to.deep.include({
      nodePort: 9545,
      apiPort: 4100,
      appPort: 5200,
    });
  });

  it("refuses a bad port, an unknown option and two services on one port", function () {
    expect(() => parseArgs(["--api-port", "http"])).to.throw(
      '--api-port needs a port number between 1 and 65535, got "http"',
    );
    expect(() => parseArgs(["--app-port"])).to.throw("got nothing");
    expect(() => parseArgs(["--port", "1"])).to.throw("unknown option --port");
    expect(() => parseArgs(["--api-port", "8545"])).to.throw("must differ");
  });

  it("embeds the config in index.html as a JSON data block that cannot close its script tag", function () {
    const html = injectConfig("<head><!--treelion-config--></head>", {
      network: "x",
      chainId: 1,
      chainName: "</script><script>alert(1)</script>",
      rpcUrl: "http://127.0.0.1:1",
      apiUrl: "/graphql",
      addresses: {},
    });
    expect(html).to.match(/^<head><script type="application\/json" id="treelion-config">\{.*\}<\/script><\/head>$/);
    expect(html.match(/<\/script>/g)).to.have.length(1);
    const json = /id="treelion-config">(.*)<\/script>/.exec(html)![1];
    expect(JSON.parse(json).chainName).to.equal("</script><script>alert(1)</script>");
    expect(() => injectConfig("<head></head>", JSON.parse(json))).to.throw("no <!--treelion-config--> placeholder");
  });

  it("builds a testnet config from the network's deployment records and the API URL", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-app-build-"));
    fs.mkdirSync(path.join(dir, "sepolia"));
    fs.writeFileSync(path.join(dir, "sepolia", ".chainId"), "11155111");
    const abi = [{ type: "function", name: "x", inputs: [], outputs: [], stateMutability: "view" }];
    const address = "0x00000000000000000000000000000000000000A1";
    fs.writeFileSync(path.join(dir, "sepolia", "CarbonCredit.json"), JSON.stringify({ address, abi }));
    const saved = process.env.TREELION_DEPLOYMENTS_DIR;
    process.env.TREELION_DEPLOYMENTS_DIR = dir;
    try {
      const c = networkConfig("sepolia", "https://ledger.example.org/graphql", "https://rpc.example.org");
      expect(c).to.deep.equal({
        network: "sepolia",
        chainId: 11155111,
        chainName: "sepolia",
        rpcUrl: "https://rpc.example.org",
        apiUrl: "https://ledger.example.org/graphql",
        addresses: { CarbonCredit: address },
      });
      expect(() => networkConfig("amoy", "https://a", "https://b")).to.throw('no deployment records for "amoy"');
      expect(() => networkConfig("sepolia", "ledger", "https://b")).to.throw('"ledger" is not an http(s) URL');
    } finally {
      if (saved === undefined) delete process.env.TREELION_DEPLOYMENTS_DIR;
      else process.env.TREELION_DEPLOYMENTS_DIR = saved;
    }
  });

  it("shortens a long chart label's name but keeps its last part, so issued and retired stay readable", function () {
    const name = "Mata Atlântica Restoration Corridor";
    const issued = fitLabel(`${name} · issued`);
    const retired = fitLabel(`${name} · retired`);
    expect(issued).to.have.length.at.most(LABEL_CHARS);
    expect(retired).to.have.length.at.most(LABEL_CHARS);
    expect(issued).to.match(/^Mata Atl.*… · issued$/);
    expect(retired).to.match(/^Mata Atl.*… · retired$/);
    expect(fitLabel("Short · issued")).to.equal("Short · issued");
    expect(fitLabel("x".repeat(40))).to.equal("x".repeat(LABEL_CHARS - 1) + "…");
  });
});
