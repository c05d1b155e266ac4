import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { coreSuite, activeProject, issueParams, issueBatch, ROLE } from "../../helpers/suite";
import {
  createTreelion,
  tonnes,
  kgToTonnesString,
  kgToPoolTokens,
  poolTokensToKg,
  tonnesToPoolTokens,
  priceFor,
  feeFor,
  decodeError,
  decodeCertificateURI,
  findOverlapHint,
  isEvent,
  kindOfAbi,
  suiteErrorInterface,
  formatError,
  formatEvent,
  describeError,
  ROLES,
  compiledAbi,
  KIND_ARTIFACT,
  type ContractKind,
} from "../../../sdk";
import { Interface } from "ethers";
import { createTreelion as createNodeTreelion, readDeployments } from "../../../sdk/node";

async function fixture() {
  const s = await coreSuite(["credits", "test-tokens"]);
  const addresses = {
    GreenProjectRegistry: await s.registry.getAddress(),
    CarbonCredit: await s.credit.getAddress(),
    RetirementCertificate: await s.certificate.getAddress(),
    TestStablecoin: await s.usd.getAddress(),
  };
  const projectId = await activeProject(s, s.alice.address);
  return { s, addresses, projectId };
}

describe("SDK units", function () {
  it("tonnes() parses decimal tonnes into kg with 1 kg resolution", function () {
    expect(tonnes("1.5")).to.equal(1500n);
    expect(tonnes("0.001")).to.equal(1n);
    expect(tonnes("42")).to.equal(42_000n);
    expect(tonnes("7.")).to.equal(7000n);
    expect(tonnes(3n)).to.equal(3000n);
    expect(() => tonnes("1.0005")).to.throw(/at most 3 decimals/);
    expect(() => tonnes("-1")).to.throw();
    expect(() => tonnes("abc")).to.throw();
  });

  it("kgToTonnesString() always prints exactly 3 decimals like the certificate", function () {
    expect(kgToTonnesString(1500n)).to.equal("1.500");
    expect(kgToTonnesString(1n)).to.equal("0.001");
    expect(kgToTonnesString(0n)).to.equal("0.000");
    expect(kgToTonnesString(-2500n)).to.equal("-2.500");
  });

  it("converts kg to pool-token wei (1 kg = 1e15) and back, refusing fractions of a kg unless rounding down", function () {
    expect(kgToPoolTokens(1n)).to.equal(10n ** 15n);
    expect(tonnesToPoolTokens("2.5")).to.equal(25n * 10n ** 17n);
    expect(poolTokensToKg(10n ** 18n)).to.equal(1000n);
    expect(() => poolTokensToKg(10n ** 15n + 1n)).to.throw(/whole number of kg/);
    expect(poolTokensToKg(10n ** 15n + 1n, { round: "down" })).to.equal(1n);
  });

  it("priceFor() rounds up in the seller's favour exactly like the marketplace; feeFor() rounds down", function () {
    expect(priceFor(1000n, 12_000_000n)).to.equal(12_000_000n);
    expect(priceFor(1n, 1n)).to.equal(1n); // 0.001 → 1
    expect(priceFor(1500n, 3n)).to.equal(5n); // 4.5 → 5
    expect(priceFor(0n, 5n)).to.equal(0n);
    expect(feeFor(999n, 100)).to.equal(9n);
    expect(() => priceFor(-1n, 1n)).to.throw();
  });
});

describe("SDK client on the in-process network", function () {
  it("createTreelion({ runner, addresses }) returns typed, connected contracts", async function () {
    const { s, addresses } = await loadFixture(fixture);
    const t = createTreelion({ runner: s.deployer, addresses });
    expect(await t.credit.getAddress()).to.equal(addresses.CarbonCredit);
    expect(await t.registry.projectCount()).to.equal(1n);
    expect(await t.usd!.decimals()).to.equal(6n);
    expect(t.market).to.equal(undefined);
    expect(() => createTreelion({ runner: s.deployer, addresses: { CarbonCredit: addresses.CarbonCredit } })).to.throw(
      /no address for RetirementCertificate \(known: CarbonCredit\)/,
    );
  });

  it("createTreelion({ runner, deployments }) takes an addresses.json summary or record objects as data", async function () {
    const { s, addresses } = await loadFixture(fixture);
    const summary = { network: "hardhat", chainId: 31337, contracts: addresses };
    const t = createTreelion({ runner: s.deployer, deployments: summary });
    expect(t.addresses).to.deep.equal(addresses);
    expect(await t.registry.projectCount()).to.equal(1n);
    const records = Object.fromEntries(
      Object.entries(addresses).map(([name, address]) => [name, { address, abi: compiledAbi(name) }]),
    );
    const t2 = createTreelion({ runner: s.deployer, deployments: records });
    expect(await t2.usd!.decimals()).to.equal(6n);
    expect(t2.decoder.routeOf(addresses.CarbonCredit)?.kind).to.equal("credit");
    expect(() => createTreelion({ runner: null, deployments: { CarbonCredit: {} as any } })).to.throw(
      /deployment "CarbonCredit" has no address/,
    );
  });

  it("createTreelion({ runner, network }) of the Node entry reads deployments/<network>/*.json records", async function () {
    const { s, addresses } = await loadFixture(fixture);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "treelion-dep-"));
    try {
      fs.mkdirSync(path.join(dir, "testnet"));
      for (const [name, address] of Object.entries(addresses)) {
        const artifact = name === "TestStablecoin" ? "TestStablecoin" : name;
        const abi = compiledAbi(artifact);
        fs.writeFileSync(
          path.join(dir, "testnet", `${name}.json`),
          JSON.stringify({ address, abi, receipt: { blockNumber: 7 } }),
        );
      }
      fs.writeFileSync(path.join(dir, "testnet", ".chainId"), "31337");
      const records = readDeployments("testnet", dir);
      expect(records.CarbonCredit.kind).to.equal("credit");
      expect(records.GreenProjectRegistry.kind).to.equal("registry");
      expect(records.RetirementCertificate.kind).to.equal("certificate");
      expect(records.TestStablecoin.kind).to.equal("token");
      expect(records.CarbonCredit.blockNumber).to.equal(7);
      const t = createNodeTreelion({ runner: s.deployer, network: "testnet", deploymentsDir: dir });
      expect(await t.registry.projectCount()).to.equal(1n);
      expect(() => createNodeTreelion({ runner: s.deployer, network: "nowhere", deploymentsDir: dir })).to.throw(
        /no deployment records/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("parseEvents() returns typed events of every suite contract in log order", async function () {
    const { s, addresses, projectId } = await loadFixture(fixture);
    const t = createTreelion({ runner: s.verifier, addresses });
    const receipt = await (await t.credit.issue(issueParams(projectId, s.alice.address))).wait();
    const events = t.parseEvents(receipt!);
    expect(events.map((e) => e.name)).to.deep.equal(["BatchIssued", "TransferSingle"]);
    const [issued] = t.events(receipt, "BatchIssued");
    expect(issued.args.batchId).to.equal(1n);
    expect(issued.args.to).to.equal(s.alice.address);
    expect(issued.contract).to.equal("CarbonCredit");
    expect(issued.kind).to.equal("credit");
    expect(isEvent(events[1], "TransferSingle") && events[1].args.value).to.equal(10_000n);
    const r2 = await (await t.credit.connect(s.alice).retireBatch([1n], [1500n], s.bob.address, "Bob", "why")).wait();
    const retired = t.events(r2, "Retired");
    expect(retired).to.have.length(1);
    expect(retired[0].args.amountKg).to.equal(1500n);
    expect(retired[0].args.beneficiary).to.equal(s.bob.address);
  });

  it("decodeError() names every custom error, including OpenZeppelin's", async function () {
    const { s, addresses, projectId } = await loadFixture(fixture);
    const t = createTreelion({ runner: s.outsider, addresses });
    const catchErr = async (p: Promise<unknown>) =>
      p.then(
        () => expect.fail("should revert"),
        (e) => e,
      );

    const noRole = t.decodeError(await catchErr(t.credit.issue(issueParams(projectId, s.alice.address))));
    expect(noRole?.name).to.equal("AccessControlUnauthorizedAccount");
    expect(noRole?.args).to.deep.equal([s.outsider.address, ROLE.ISSUER]);
    expect(noRole?.namedArgs.account).to.equal(s.outsider.address);

    await issueBatch(s, issueParams(projectId, s.alice.address));
    const bal = t.decodeError(await catchErr(t.credit.retire(1n, 1n, ethers.ZeroAddress, "", "")));
    expect(bal?.name).to.equal("ERC1155InsufficientBalance");
    expect(bal?.args).to.deep.equal([s.outsider.address, 0n, 1n, 1n]);

    const overlap = decodeError(
      await catchErr(
        t.credit
          .connect(s.verifier)
          .issue(issueParams(projectId, s.alice.address, { serialStart: 5n, serialEnd: 20n })),
      ),
    );
    expect(overlap?.name).to.equal("SerialRangeOverlap");
    expect(overlap?.args).to.deep.equal([projectId, 1n, 1n, 10n]);

    await (await s.credit.connect(s.deployer).pause()).wait();
    const paused = decodeError(await catchErr(t.credit.connect(s.alice).retire(1n, 1n, ethers.ZeroAddress, "", "")));
    expect(paused?.name).to.equal("EnforcedPause");

    // raw revert data works too; unknown data and errors without data give undefined
    const data = new Interface(["error ZeroAmount()"]).encodeErrorResult("ZeroAmount", []);
    expect(decodeError(data)?.name).to.equal("ZeroAmount");
    expect(
      decodeError(new Interface(["error Error(string)"]).encodeErrorResult("Error", ["boom"]))?.args,
    ).to.deep.equal(["boom"]);
    expect(decodeError("0xdeadbeef")).to.equal(undefined);
    expect(decodeError(new Error("network down"))).to.equal(undefined);
  });

  it("the error interface holds every custom error of every compiled suite contract", function () {
    const iface = suiteErrorInterface();
    for (const name of [
      "CarbonCredit",
      "GreenProjectRegistry",
      "RetirementCertificate",
      "CreditMarketplace",
      "MilestoneEscrow",
    ]) {
      const abi = compiledAbi(name);
      if (!abi) continue;
      for (const f of new Interface(abi).fragments.filter((x) => x.type === "error")) {
        const sig = f.format("sighash");
        expect(iface.getError(sig), `${name}.${sig}`).to.not.equal(null);
      }
    }
  });

  it("findOverlapHint() walks the sorted range list: hint below, between and above; reports the overlapped batch", async function () {
    const { s, addresses, projectId } = await loadFixture(fixture);
    const t = createTreelion({ runner: s.verifier, addresses });
    expect(await t.findOverlapHint(projectId, { serialStart: 100, serialEnd: 200 })).to.deep.equal({
      ok: true,
      prevBatchId: 0n,
      method: "issue",
    });
    const b1 = await issueBatch(s, issueParams(projectId, s.alice.address, { serialStart: 100n, serialEnd: 200n }));
    const b2 = await issueBatch(s, issueParams(projectId, s.alice.address, { serialStart: 500n, serialEnd: 600n }));
    expect(await t.findOverlapHint(projectId, { serialStart: 700, serialEnd: 800 })).to.deep.equal({
      ok: true,
      prevBatchId: b2,
      method: "issue",
    });
    expect(await t.findOverlapHint(projectId, { serialStart: 1, serialEnd: 99 })).to.deep.equal({
      ok: true,
      prevBatchId: 0n,
      method: "issueWithHint",
    });
    const between = await t.findOverlapHint(projectId, { serialStart: 300n, serialEnd: 400n });
    expect(between).to.deep.equal({ ok: true, prevBatchId: b1, method: "issueWithHint" });
    // the hint is accepted by the contract
    if (!between.ok) throw new Error("unreachable");
    await (
      await t.credit.issueWithHint(
        issueParams(projectId, s.alice.address, { serialStart: 300n, serialEnd: 400n }),
        between.prevBatchId,
      )
    ).wait();
    const b3 = await t.credit.batchCount();
    expect(await t.findOverlapHint(projectId, { serialStart: 350n, serialEnd: 450n })).to.deep.equal({
      ok: false,
      overlap: { batchId: b3, serialStart: 300n, serialEnd: 400n },
    });
    expect(await findOverlapHint(t.credit, projectId, { serialStart: 550n, serialEnd: 1000n })).to.deep.equal({
      ok: false,
      overlap: { batchId: b2, serialStart: 500n, serialEnd: 600n },
    });
    expect(await t.findOverlapHint(projectId, { serialStart: 401n, serialEnd: 499n })).to.deep.equal({
      ok: true,
      prevBatchId: b3,
      method: "issueWithHint",
    });
    await expect(t.findOverlapHint(projectId, { serialStart: 5n, serialEnd: 1n })).to.be.rejectedWith(
      /serialStart 5 > serialEnd 1/,
    );
  });

  it("decodeCertificateURI() parses the certificate JSON, hostile strings included", async function () {
    const { s, addresses, projectId } = await loadFixture(fixture);
    const t = createTreelion({ runner: s.alice, addresses });
    await issueBatch(s, issueParams(projectId, s.alice.address));
    const hostile = 'Evil "name"\\ \n\t\u0001 },{"x":1';
    await (await t.credit.retire(1n, 1500n, s.bob.address, hostile, 'reason "quoted"')).wait();
    const c = await t.certificateJson(1n);
    expect(c.beneficiaryName).to.equal(hostile);
    expect(c.reason).to.equal('reason "quoted"');
    expect(c.tonnes).to.equal("1.500");
    expect(c.batchIds).to.deep.equal([1n]);
    expect(c.certificateId).to.equal(1n);
    expect(c.beneficiary.toLowerCase()).to.equal(s.bob.address.toLowerCase());
    expect(c.retiredAt).to.be.greaterThan(0);
    const plain = decodeCertificateURI(
      "data:application/json," +
        encodeURIComponent('{"name":"X #9","attributes":[{"trait_type":"Tonnes","value":"2.000"}]}'),
    );
    expect(plain.tonnes).to.equal("2.000");
    expect(plain.certificateId).to.equal(9n);
    expect(() => decodeCertificateURI("https://example.com/1.json")).to.throw(/not a JSON data URI/);
  });

  it("kindOfAbi() recognises the compiled ABI of every kind", function () {
    for (const [kind, name] of Object.entries(KIND_ARTIFACT) as [ContractKind, string][])
      expect(kindOfAbi(compiledAbi(name)!), name).to.equal(kind);
  });

  it("errors and events print enum, role and country names from the generated tables", async function () {
    const { s, addresses, projectId } = await loadFixture(fixture);
    const t = createTreelion({ runner: s.outsider, addresses });
    const err = await t.credit.issue(issueParams(projectId, s.alice.address)).then(
      () => expect.fail("should revert"),
      (e) => e,
    );
    const d = t.decodeError(err)!;
    expect(d.formatted).to.equal(`AccessControlUnauthorizedAccount(${s.outsider.address}, ISSUER_ROLE)`);
    expect(describeError(err)).to.equal(d.formatted);
    expect(describeError(new Error("network down"))).to.equal("network down");
    // an enum pair, as the bond reports a call in the wrong phase
    const wrong = new Interface(["error WrongStatus(uint8 status, uint8 required)"]).encodeErrorResult(
      "WrongStatus",
      [0, 2],
    );
    expect(decodeError(wrong)!.formatted).to.equal("WrongStatus(Subscription, Active)");
    // a custom renderer for amounts; enum names stay
    const overlap = new Interface(["error ProjectNotActive(uint256 projectId, uint8 status)"]).encodeErrorResult(
      "ProjectNotActive",
      [7n, 3],
    );
    expect(
      formatError(decodeError(overlap)!, { value: (p, v) => (p.name === "projectId" ? `#${v}` : undefined) }),
    ).to.equal("ProjectNotActive(#7, Closed)");
    expect(decodeError("0x" + "00".repeat(4))).to.equal(undefined);
    // events: names and values
    const rc = await (await s.registry.connect(s.deployer).grantRole(ROLES.VERIFIER_ROLE, s.bob.address)).wait();
    const granted = createTreelion({ runner: s.deployer, addresses }).parseEvents(rc!)[0];
    expect(formatEvent(granted)).to.equal(
      `RoleGranted(role=VERIFIER_ROLE, account=${s.bob.address}, sender=${s.deployer.address})`,
    );
    const rc2 = await (await s.registry.connect(s.verifier).setProjectStatus(projectId, 2)).wait();
    const changed = createTreelion({ runner: s.deployer, addresses }).events(rc2, "ProjectStatusChanged")[0];
    expect(formatEvent(changed)).to.equal(`ProjectStatusChanged(projectId=${projectId}, from=Active, to=Suspended)`);
  });
});
