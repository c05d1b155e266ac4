import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash, id } from "ethers";
import {
  decodeScheduledCall,
  decodeTimelockTx,
  encodeCallText,
  encodeCancel,
  encodeExecute,
  encodeSchedule,
  encodeScheduleBatch,
  encodeExecuteBatch,
  operationBatchId,
  operationId,
  operationStatus,
  parseBatchText,
  parseCallText,
  saltFrom,
} from "../../../sdk/governance";

describe("sdk/governance: operation ids, scheduled calls, timelock transactions", function () {
  async function suite() {
    await deployments.fixture(["governance", "pools", "market"]);
    const timelock = await ethers.getContractAt(
      "TreelionTimelock",
      (await deployments.get("TreelionTimelock")).address,
    );
    const pool = await ethers.getContractAt("CarbonPool", (await deployments.get("NatureCarbonPool")).address);
    return { timelock, pool };
  }

  it("computes the same operation ids as the timelock (single and batch)", async function () {
    const { timelock } = await loadFixture(suite);
    const call = {
      target: await timelock.getAddress(),
      value: 5n,
      data: "0x1234",
      predecessor: id("p"),
      salt: id("s"),
    };
    expect(operationId(call)).to.equal(
      await timelock.hashOperation(call.target, call.value, call.data, call.predecessor, call.salt),
    );
    const calls = [call, { ...call, value: 0n, data: "0x" }];
    expect(operationBatchId(calls, ZeroHash, call.salt)).to.equal(
      await timelock.hashOperationBatch(
        calls.map((c) => c.target),
        calls.map((c) => c.value),
        calls.map((c) => c.data),
        ZeroHash,
        call.salt,
      ),
    );
  });

  it("encodes a human-written call (struct, role names, names) and decodes it back to the same text", async function () {
    const { pool } = await loadFixture(suite);
    const [, , treasury] = await ethers.getSigners();
    const names = (n: string) => (n === "treasury" ? treasury.address : undefined);
    const criteria = encodeCallText(pool.interface, `setCriteria([2018, 5, [${id("VCS")}]])`, names);
    expect(criteria.data).to.equal(
      pool.interface.encodeFunctionData("setCriteria", [{ minVintage: 2018, categoryMask: 5, standards: [id("VCS")] }]),
    );
    const grant = encodeCallText(pool.interface, "grantRole(PAUSER_ROLE, treasury)", names);
    expect(grant.args).to.deep.equal([id("PAUSER_ROLE"), treasury.address]);
    expect(decodeScheduledCall(pool.interface, grant.data)!.text).to.equal(
      `grantRole(PAUSER_ROLE, ${treasury.address})`,
    );
    expect(decodeScheduledCall(pool.interface, criteria.data)!.text).to.equal(`setCriteria([2018, 5, [${id("VCS")}]])`);
    expect(decodeScheduledCall(pool.interface, "0xdeadbeef")).to.equal(undefined);
    expect(() => encodeCallText(pool.interface, "grantRole(PAUSER_ROLE, nobody)", names)).to.throw(
      /"nobody" is neither an address nor a known name/,
    );
    expect(() => encodeCallText(pool.interface, "setFees(1, 2, 3, 4)")).to.throw(
      /setFees takes setFees\(uint16,uint16,address\)/,
    );
    expect(() =>
      encodeCallText(pool.interface, "setFees(70000, 2, 0x0000000000000000000000000000000000000001)"),
    ).to.throw(/70000 does not fit in uint16/);
  });

  it("splits call text at top-level commas only (brackets and quotes kept together)", function () {
    expect(parseCallText(' f(1, [2, [3, 4]], "a, b", x) ')).to.deep.equal({
      name: "f",
      args: ["1", "[2, [3, 4]]", '"a, b"', "x"],
    });
    expect(parseCallText("unpause()")).to.deep.equal({ name: "unpause", args: [] });
    expect(() => parseCallText("f(1, [2)")).to.throw(/unbalanced/);
    expect(() => parseCallText("not a call")).to.throw(/is not a call/);
  });

  it("encodes schedule / execute / cancel for a multisig and decodes them back", async function () {
    const { timelock } = await loadFixture(suite);
    const call = {
      target: await timelock.getAddress(),
      value: 0n,
      data: "0xabcd",
      predecessor: ZeroHash,
      salt: saltFrom("x"),
    };
    const s = decodeTimelockTx(encodeSchedule(call, 172800));
    expect(s).to.deep.equal({ method: "schedule", call, delay: 172800n });
    expect(decodeTimelockTx(encodeExecute(call))).to.deep.equal({ method: "execute", call, delay: undefined });
    expect(decodeTimelockTx(encodeCancel(operationId(call)))).to.deep.equal({
      method: "cancel",
      id: operationId(call),
    });
    expect(saltFrom("")).to.equal(ZeroHash);
    expect(saltFrom(id("y"))).to.equal(id("y"));
  });

  it("splits a batch into Contract.call pairs at top-level semicolons; encodes scheduleBatch / executeBatch and decodes them back", async function () {
    expect(parseBatchText('CreditMarketplace.setFee(250, treasury); 0xAb.f("a; b", [1; 2]) ;')).to.deep.equal([
      { contract: "CreditMarketplace", call: "setFee(250, treasury)" },
      { contract: "0xAb", call: 'f("a; b", [1; 2])' },
    ]);
    expect(() => parseBatchText("setFee(250, treasury)")).to.throw(/is not Contract.function/);
    expect(() => parseBatchText(" ; ")).to.throw(/has no call/);
    const { timelock } = await loadFixture(suite);
    const target = await timelock.getAddress();
    const calls = [
      { target, value: 0n, data: "0xabcd", predecessor: id("p"), salt: saltFrom("x") },
      { target, value: 7n, data: "0x01", predecessor: id("p"), salt: saltFrom("x") },
    ];
    expect(decodeTimelockTx(encodeScheduleBatch(calls, id("p"), saltFrom("x"), 60))).to.deep.equal({
      method: "scheduleBatch",
      calls,
      delay: 60n,
    });
    const exec = decodeTimelockTx(encodeExecuteBatch(calls, id("p"), saltFrom("x")));
    expect(exec).to.deep.equal({ method: "executeBatch", calls, delay: undefined });
    expect(operationBatchId(calls, id("p"), saltFrom("x"))).to.equal(
      await timelock.hashOperationBatch([target, target], [0n, 7n], ["0xabcd", "0x01"], id("p"), saltFrom("x")),
    );
  });

  it("derives an operation's status from its events and the clock", function () {
    const o = { readyAt: 100n, executed: false, cancelled: false };
    expect(operationStatus(o, 99n)).to.equal("pending");
    expect(operationStatus(o, 100n)).to.equal("ready");
    expect(operationStatus({ ...o, executed: true }, 0n)).to.equal("done");
    expect(operationStatus({ ...o, cancelled: true }, 200n)).to.equal("cancelled");
  });
});
