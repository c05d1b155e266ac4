import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ROLE, decodeDataUri } from "../../helpers/suite";
import { creditsSuite, issue, range } from "../../helpers/credits";

/** Bits of contracts/libraries/Labels.sol. */
const CORSIA_ELIGIBLE = 1;
const CCP_APPROVED = 2;
const CORRESPONDING_ADJUSTMENT = 4;
const REMOVAL = 8;

const labelAttrs = (meta: any) =>
  (meta.attributes as { trait_type: string; value: string }[])
    .filter((a) => a.trait_type === "Label")
    .map((a) => a.value);

describe("CarbonCredit quality labels", function () {
  async function fixture() {
    const s = await creditsSuite();
    const b1 = await issue(s, range(s.projectA, s.alice.address, 1n, 10n));
    const b2 = await issue(s, range(s.projectB, s.alice.address, 1n, 10n));
    return { ...s, b1, b2 };
  }

  it("an issuer sets a batch's labels with LabelsSet; labelsOf reads them (0 by default)", async function () {
    const s = await loadFixture(fixture);
    expect(await s.credit.labelsOf(s.b1)).to.equal(0n);
    const all = CORSIA_ELIGIBLE | CCP_APPROVED | CORRESPONDING_ADJUSTMENT | REMOVAL;
    await expect(s.credit.connect(s.verifier).setLabels(s.b1, all)).to.emit(s.credit, "LabelsSet").withArgs(s.b1, all);
    expect(await s.credit.labelsOf(s.b1)).to.equal(15n);
    await expect(s.credit.connect(s.verifier).setLabels(s.b1, CCP_APPROVED))
      .to.emit(s.credit, "LabelsSet")
      .withArgs(s.b1, CCP_APPROVED);
    expect(await s.credit.labelsOf(s.b1)).to.equal(2n);
    await s.credit.connect(s.verifier).setLabels(s.b1, 0);
    expect(await s.credit.labelsOf(s.b1)).to.equal(0n);
    expect(await s.credit.labelsOf(s.b2)).to.equal(0n);
  });

  it("refuses unknown bits with UnknownLabels, unknown batches, and non-issuers, state unchanged", async function () {
    const s = await loadFixture(fixture);
    await s.credit.connect(s.verifier).setLabels(s.b1, REMOVAL);
    for (const bad of [16, 17, 0x80000000, 0xffffffff]) {
      await expect(s.credit.connect(s.verifier).setLabels(s.b1, bad))
        .to.be.revertedWithCustomError(s.credit, "UnknownLabels")
        .withArgs(bad);
    }
    await expect(s.credit.connect(s.verifier).setLabels(99n, 1))
      .to.be.revertedWithCustomError(s.credit, "BatchNotFound")
      .withArgs(99n);
    await expect(s.credit.connect(s.alice).setLabels(s.b1, 1))
      .to.be.revertedWithCustomError(s.credit, "AccessControlUnauthorizedAccount")
      .withArgs(s.alice.address, ROLE.ISSUER);
    expect(await s.credit.labelsOf(s.b1)).to.equal(BigInt(REMOVAL));
  });

  it("lists the labels by name, in bit order, as attributes of the batch uri() JSON", async function () {
    const s = await loadFixture(fixture);
    await s.credit.connect(s.verifier).setLabels(s.b1, REMOVAL | CORSIA_ELIGIBLE | CORRESPONDING_ADJUSTMENT);
    const meta = decodeDataUri(await s.credit.uri(s.b1));
    expect(labelAttrs(meta)).to.deep.equal(["CORSIA_ELIGIBLE", "CORRESPONDING_ADJUSTMENT", "REMOVAL"]);
    expect(meta.attributes.slice(-3)).to.deep.equal([
      { trait_type: "Label", value: "CORSIA_ELIGIBLE" },
      { trait_type: "Label", value: "CORRESPONDING_ADJUSTMENT" },
      { trait_type: "Label", value: "REMOVAL" },
    ]);
    await s.credit.connect(s.verifier).setLabels(s.b1, CCP_APPROVED);
    expect(labelAttrs(decodeDataUri(await s.credit.uri(s.b1)))).to.deep.equal(["CCP_APPROVED"]);
  });

  it("certificate tokenURI lists the labels its batch carries, and for several batches the labels all of them share", async function () {
    const s = await loadFixture(fixture);
    await s.credit.connect(s.verifier).setLabels(s.b1, CORSIA_ELIGIBLE | CCP_APPROVED);
    await s.credit.connect(s.verifier).setLabels(s.b2, CCP_APPROVED | REMOVAL);
    const one = await s.credit.connect(s.alice).retire.staticCall(s.b1, 100n, ethers.ZeroAddress, "A", "r");
    await s.credit.connect(s.alice).retire(s.b1, 100n, ethers.ZeroAddress, "A", "r");
    const many = await s.credit
      .connect(s.alice)
      .retireBatch.staticCall([s.b1, s.b2], [100n, 100n], ethers.ZeroAddress, "A", "r");
    await s.credit.connect(s.alice).retireBatch([s.b1, s.b2], [100n, 100n], ethers.ZeroAddress, "A", "r");
    expect(labelAttrs(decodeDataUri(await s.certificate.tokenURI(one)))).to.deep.equal([
      "CORSIA_ELIGIBLE",
      "CCP_APPROVED",
    ]);
    expect(labelAttrs(decodeDataUri(await s.certificate.tokenURI(many)))).to.deep.equal(["CCP_APPROVED"]);
    await s.credit.connect(s.verifier).setLabels(s.b2, REMOVAL);
    const meta = decodeDataUri(await s.certificate.tokenURI(many));
    expect(labelAttrs(meta)).to.deep.equal([]);
    expect(meta.attributes.at(-1).trait_type).to.equal("Retired at"); // still valid JSON without labels
  });
});
