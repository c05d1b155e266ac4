import { expect } from "chai";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { retryDroppedReads } from "../../../tasks/lib/runner";

/** A provider whose requests number `failing` (0-based) fail as a request on a socket the server just closed. */
function flakyHre(failing: number[]) {
  const seen: string[] = [];
  const provider = {
    async request(a: { method: string }) {
      seen.push(a.method);
      if (failing.includes(seen.length - 1)) throw new Error("other side closed");
      return "0x1";
    },
    send(method: string) {
      return provider.request({ method });
    },
  };
  return { hre: { network: { provider } } as unknown as HardhatRuntimeEnvironment, provider, seen };
}

describe("tasks: a request lost on a closed keep-alive socket", function () {
  it("a read (eth_call, eth_getTransactionReceipt) is sent once more, through request() and send() alike", async function () {
    const { hre, provider, seen } = flakyHre([0, 2]);
    retryDroppedReads(hre);
    expect(await provider.request({ method: "eth_call" })).to.equal("0x1");
    expect(await provider.send("eth_getTransactionReceipt")).to.equal("0x1");
    expect(seen).to.deep.equal(["eth_call", "eth_call", "eth_getTransactionReceipt", "eth_getTransactionReceipt"]);
  });

  it("a write (eth_sendRawTransaction) is never sent twice: the failure is reported", async function () {
    const { hre, provider, seen } = flakyHre([0]);
    retryDroppedReads(hre);
    await expect(provider.send("eth_sendRawTransaction")).to.be.rejectedWith("other side closed");
    expect(seen).to.deep.equal(["eth_sendRawTransaction"]);
  });

  it("a read fails for any other reason, or twice in a row: the error is reported, not retried again", async function () {
    const { hre, provider, seen } = flakyHre([0, 1, 2]);
    retryDroppedReads(hre);
    retryDroppedReads(hre); // wrapping twice must not multiply the retries
    await expect(provider.request({ method: "eth_blockNumber" })).to.be.rejectedWith("other side closed");
    expect(seen).to.have.length(2);
  });
});
