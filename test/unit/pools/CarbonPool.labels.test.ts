import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ROLE } from "../../helpers/suite";
import { poolSuite } from "../../helpers/pools";

/** Ineligibility.LabelsMissing of ICarbonPool (appended after StandardNotAllowed = 5). */
const LABELS_MISSING = 6;
const CORSIA_ELIGIBLE = 1;
const CCP_APPROVED = 2;

describe("CarbonPool required labels", function () {
  async function fixture() {
    return poolSuite();
  }

  it("requires no label by default; a pool admin sets the mask with RequiredLabelsSet", async function () {
    const s = await loadFixture(fixture);
    expect(await s.ncp.requiredLabels()).to.equal(0n);
    await expect(s.ncp.connect(s.deployer).setRequiredLabels(CORSIA_ELIGIBLE | CCP_APPROVED))
      .to.emit(s.ncp, "RequiredLabelsSet")
      .withArgs(3);
    expect(await s.ncp.requiredLabels()).to.equal(3n);
    expect(await s.tcp.requiredLabels()).to.equal(0n);
  });

  it("a batch missing a required label is ineligible with LabelsMissing; carrying them all (and more) is eligible", async function () {
    const s = await loadFixture(fixture);
    const b = s.batches.forest2020;
    expect(await s.ncp.isEligible(b)).to.equal(true);
    await s.ncp.connect(s.deployer).setRequiredLabels(CORSIA_ELIGIBLE | CCP_APPROVED);
    expect(await s.ncp.eligibility(b)).to.equal(LABELS_MISSING);
    await s.credit.connect(s.verifier).setLabels(b, CORSIA_ELIGIBLE);
    expect(await s.ncp.eligibility(b)).to.equal(LABELS_MISSING);
    await expect(s.ncp.connect(s.alice).deposit(b, 1_000n))
      .to.be.revertedWithCustomError(s.ncp, "BatchNotEligible")
      .withArgs(b, LABELS_MISSING);
    await s.credit.connect(s.verifier).setLabels(b, 15);
    expect(await s.ncp.eligibility(b)).to.equal(0);
    await s.ncp.connect(s.alice).deposit(b, 1_000n);
    expect(await s.ncp.heldKg(b)).to.equal(1_000n);
  });

  it("other reasons come first: a batch too old is VintageTooOld whatever its labels", async function () {
    const s = await loadFixture(fixture);
    await s.ncp.connect(s.deployer).setRequiredLabels(CCP_APPROVED);
    expect(await s.ncp.eligibility(s.batches.forest2015)).to.equal(3); // VintageTooOld
  });

  it("refuses unknown bits with UnknownLabels and callers without POOL_ADMIN_ROLE", async function () {
    const s = await loadFixture(fixture);
    await expect(s.ncp.connect(s.deployer).setRequiredLabels(16))
      .to.be.revertedWithCustomError(s.ncp, "UnknownLabels")
      .withArgs(16);
    await expect(s.ncp.connect(s.alice).setRequiredLabels(1))
      .to.be.revertedWithCustomError(s.ncp, "AccessControlUnauthorizedAccount")
      .withArgs(s.alice.address, ROLE.POOL_ADMIN);
    expect(await s.ncp.requiredLabels()).to.equal(0n);
  });
});
