import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ProjectStatus, ROLE, decodeDataUri, issueParams, projectInput } from "../../helpers/suite";
import {
  ATTESTATION,
  chainYear,
  creditsSuite,
  issue,
  range,
  walkRanges,
  type CreditsSuite,
} from "../../helpers/credits";

describe("CarbonCredit", function () {
  // Derived fixtures start from this file-local base via loadFixture, so hardhat-deploy's own snapshot is taken
  // once per file; never share a fixture function across files (another file's deployments.fixture() would
  // invalidate its loadFixture snapshot).
  async function fixture() {
    return creditsSuite();
  }

  /** Fixture with alice holding batch 1 (project A, 10 t) and batch 2 (project B, 5 t). */
  async function heldFixture() {
    const s = await loadFixture(fixture);
    const b1 = await issue(s, range(s.projectA, s.alice.address, 1n, 10n));
    const b2 = await issue(s, range(s.projectB, s.alice.address, 1n, 5n, { vintage: 2019 }));
    return { ...s, b1, b2 };
  }

  async function setStatus(s: CreditsSuite, projectId: bigint, status: number) {
    await (await s.registry.connect(s.verifier).setProjectStatus(projectId, status)).wait();
  }

  describe("deployment wiring", function () {
    it("points at the registry and the certificate, with the documented constants and roles", async function () {
      const s = await loadFixture(fixture);
      expect(await s.credit.registry()).to.equal(await s.registry.getAddress());
      expect(await s.credit.certificate()).to.equal(await s.certificate.getAddress());
      expect(await s.credit.KG_PER_TONNE()).to.equal(1000n);
      expect(await s.credit.MIN_VINTAGE()).to.equal(1990n);
      expect(await s.credit.MAX_TEXT_LENGTH()).to.equal(256n);
      expect(await s.credit.MAX_BATCHES_PER_RETIREMENT()).to.equal(20n);
      expect(await s.credit.ISSUER_ROLE()).to.equal(ROLE.ISSUER);
      expect(await s.credit.PAUSER_ROLE()).to.equal(ROLE.PAUSER);
      expect(await s.credit.batchCount()).to.equal(0n);
    });

    it("supports ERC-1155, ERC-1155 metadata, AccessControl and ERC-165 but not random ids", async function () {
      const s = await loadFixture(fixture);
      expect(await s.credit.supportsInterface("0xd9b67a26")).to.equal(true); // IERC1155
      expect(await s.credit.supportsInterface("0x0e89341c")).to.equal(true); // IERC1155MetadataURI
      expect(await s.credit.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await s.credit.supportsInterface("0x01ffc9a7")).to.equal(true); // IERC165
      expect(await s.credit.supportsInterface("0x80ac58cd")).to.equal(false); // IERC721
      expect(await s.credit.supportsInterface("0xffffffff")).to.equal(false);
    });
  });

  describe("issue", function () {
    it("mints (serialEnd - serialStart + 1) * 1000 kg to the recipient and records the batch", async function () {
      const s = await loadFixture(fixture);
      const att = ethers.id("VVB report 2021-07");
      const p = range(s.projectA, s.alice.address, 101n, 350n, { vintage: 2021, attestation: att });
      expect(await s.credit.connect(s.verifier).issue.staticCall(p)).to.equal(1n);
      const tx = s.credit.connect(s.verifier).issue(p);
      await expect(tx)
        .to.emit(s.credit, "BatchIssued")
        .withArgs(1n, s.projectA, 2021, 101n, 350n, s.alice.address, att);
      await expect(tx)
        .to.emit(s.credit, "TransferSingle")
        .withArgs(s.verifier.address, ethers.ZeroAddress, s.alice.address, 1n, 250_000n);
      expect(await s.credit.balanceOf(s.alice.address, 1n)).to.equal(250_000n);
      const b = await s.credit.batch(1n);
      expect(b.projectId).to.equal(s.projectA);
      expect(b.vintage).to.equal(2021n);
      expect(b.serialStart).to.equal(101n);
      expect(b.serialEnd).to.equal(350n);
      expect(b.issuedKg).to.equal(250_000n);
      expect(b.retiredKg).to.equal(0n);
      expect(b.attestation).to.equal(att);
      expect(await s.credit.projectOf(1n)).to.equal(s.projectA);
      expect(await s.credit.batchCount()).to.equal(1n);
    });

    it("numbers batches 1, 2, 3 across projects", async function () {
      const s = await loadFixture(fixture);
      expect(await issue(s, range(s.projectA, s.alice.address, 1n, 1n))).to.equal(1n);
      expect(await issue(s, range(s.projectB, s.bob.address, 1n, 1n))).to.equal(2n);
      expect(await issue(s, range(s.projectA, s.alice.address, 2n, 2n))).to.equal(3n);
      expect(await s.credit.batchCount()).to.equal(3n);
    });

    it("mints one tonne for a single serial, accepts serial 0 and the largest uint64 serial", async function () {
      const s = await loadFixture(fixture);
      await issue(s, range(s.projectA, s.alice.address, 0n, 0n));
      expect(await s.credit.balanceOf(s.alice.address, 1n)).to.equal(1000n);
      const max = 2n ** 64n - 1n;
      await issue(s, range(s.projectA, s.alice.address, max, max));
      expect(await s.credit.balanceOf(s.alice.address, 2n)).to.equal(1000n);
      await issue(s, range(s.projectB, s.bob.address, 0n, max));
      expect((await s.credit.batch(3n)).issuedKg).to.equal((max + 1n) * 1000n);
    });

    it("accepts vintages 1990 and the current year; rejects 1989 and next year with InvalidVintage", async function () {
      const s = await loadFixture(fixture);
      const year = await chainYear();
      await issue(s, range(s.projectA, s.alice.address, 1n, 1n, { vintage: 1990 }));
      await issue(s, range(s.projectA, s.alice.address, 2n, 2n, { vintage: year }));
      expect((await s.credit.batch(2n)).vintage).to.equal(BigInt(year));
      await expect(s.credit.connect(s.verifier).issue(range(s.projectA, s.alice.address, 3n, 3n, { vintage: 1989 })))
        .to.be.revertedWithCustomError(s.credit, "InvalidVintage")
        .withArgs(1989, year);
      await expect(
        s.credit.connect(s.verifier).issue(range(s.projectA, s.alice.address, 3n, 3n, { vintage: year + 1 })),
      )
        .to.be.revertedWithCustomError(s.credit, "InvalidVintage")
        .withArgs(year + 1, year);
      await expect(
        s.credit.connect(s.verifier).issueWithHint(range(s.projectA, s.alice.address, 3n, 3n, { vintage: 0 }), 2n),
      )
        .to.be.revertedWithCustomError(s.credit, "InvalidVintage")
        .withArgs(0, year);
    });

    it("accepts next year's vintage from 1 January 00:00:00 UTC, not one second before", async function () {
      const s = await loadFixture(fixture);
      const next = (await chainYear()) + 1;
      const jan1 = Date.UTC(next, 0, 1) / 1000;
      const p = range(s.projectA, s.alice.address, 1n, 1n, { vintage: next });
      await time.setNextBlockTimestamp(jan1 - 1);
      await expect(s.credit.connect(s.verifier).issue(p))
        .to.be.revertedWithCustomError(s.credit, "InvalidVintage")
        .withArgs(next, next - 1);
      await time.setNextBlockTimestamp(jan1);
      await expect(s.credit.connect(s.verifier).issue(p)).to.emit(s.credit, "BatchIssued");
    });

    it("reverts InvalidSerialRange when serialStart > serialEnd", async function () {
      const s = await loadFixture(fixture);
      await expect(s.credit.connect(s.verifier).issue(range(s.projectA, s.alice.address, 11n, 10n)))
        .to.be.revertedWithCustomError(s.credit, "InvalidSerialRange")
        .withArgs(11n, 10n);
      await expect(s.credit.connect(s.verifier).issueWithHint(range(s.projectA, s.alice.address, 1n, 0n), 0n))
        .to.be.revertedWithCustomError(s.credit, "InvalidSerialRange")
        .withArgs(1n, 0n);
    });

    it("reverts MissingAttestation for a zero attestation and InvalidRecipient for the zero address", async function () {
      const s = await loadFixture(fixture);
      for (const fn of ["issue", "issueWithHint"] as const) {
        const call = (p: ReturnType<typeof range>) =>
          fn === "issue" ? s.credit.connect(s.verifier).issue(p) : s.credit.connect(s.verifier).issueWithHint(p, 0n);
        await expect(
          call(range(s.projectA, s.alice.address, 1n, 1n, { attestation: ethers.ZeroHash })),
        ).to.be.revertedWithCustomError(s.credit, "MissingAttestation");
        await expect(call(range(s.projectA, ethers.ZeroAddress, 1n, 1n)))
          .to.be.revertedWithCustomError(s.credit, "InvalidRecipient")
          .withArgs(ethers.ZeroAddress);
      }
    });

    for (const [label, status] of [
      ["Pending", ProjectStatus.Pending],
      ["Suspended", ProjectStatus.Suspended],
      ["Closed", ProjectStatus.Closed],
    ] as const) {
      it(`reverts ProjectNotActive for a ${label} project (issue and issueWithHint)`, async function () {
        const s = await loadFixture(fixture);
        let pid: bigint;
        if (status === ProjectStatus.Pending) {
          const input = projectInput(s.alice.address);
          pid = await s.registry.registerProject.staticCall(input);
          await s.registry.registerProject(input);
        } else {
          pid = s.projectA;
          await setStatus(s, pid, status);
        }
        await expect(s.credit.connect(s.verifier).issue(range(pid, s.alice.address, 1n, 1n)))
          .to.be.revertedWithCustomError(s.credit, "ProjectNotActive")
          .withArgs(pid, status);
        await expect(s.credit.connect(s.verifier).issueWithHint(range(pid, s.alice.address, 1n, 1n), 0n))
          .to.be.revertedWithCustomError(s.credit, "ProjectNotActive")
          .withArgs(pid, status);
      });
    }

    it("issues again once a Suspended project is reinstated", async function () {
      const s = await loadFixture(fixture);
      await setStatus(s, s.projectA, ProjectStatus.Suspended);
      await setStatus(s, s.projectA, ProjectStatus.Active);
      expect(await issue(s, range(s.projectA, s.alice.address, 1n, 1n))).to.equal(1n);
    });

    it("reverts the registry's ProjectNotFound for an unknown project", async function () {
      const s = await loadFixture(fixture);
      await expect(s.credit.connect(s.verifier).issue(range(99n, s.alice.address, 1n, 1n)))
        .to.be.revertedWithCustomError(s.registry, "ProjectNotFound")
        .withArgs(99n);
    });

    it("reverts AccessControlUnauthorizedAccount without ISSUER_ROLE", async function () {
      const s = await loadFixture(fixture);
      const p = range(s.projectA, s.alice.address, 1n, 1n);
      // alice owns the project but is not an issuer
      for (const who of [s.outsider, s.alice]) {
        await expect(s.credit.connect(who).issue(p))
          .to.be.revertedWithCustomError(s.credit, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, ROLE.ISSUER);
        await expect(s.credit.connect(who).issueWithHint(p, 0n))
          .to.be.revertedWithCustomError(s.credit, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, ROLE.ISSUER);
      }
    });
  });

  describe("sorted serial range list", function () {
    it("appends ranges above all earlier ones with issue, in order", async function () {
      const s = await loadFixture(fixture);
      await issue(s, range(s.projectA, s.alice.address, 1n, 10n));
      await issue(s, range(s.projectA, s.alice.address, 11n, 20n)); // adjacent
      await issue(s, range(s.projectA, s.alice.address, 100n, 200n));
      expect(await s.credit.rangeEnds(s.projectA)).to.deep.equal([1n, 3n]);
      expect(await s.credit.nextBatchAbove(1n)).to.equal(2n);
      expect(await s.credit.nextBatchAbove(2n)).to.equal(3n);
      expect(await s.credit.nextBatchAbove(3n)).to.equal(0n);
      expect(await walkRanges(s.credit, s.projectA)).to.deep.equal([
        [1n, 1n, 10n],
        [2n, 11n, 20n],
        [3n, 100n, 200n],
      ]);
    });

    it("reports empty ends for a project without batches and BatchNotFound for unknown batches", async function () {
      const s = await loadFixture(fixture);
      expect(await s.credit.rangeEnds(s.projectA)).to.deep.equal([0n, 0n]);
      expect(await s.credit.rangeEnds(12345n)).to.deep.equal([0n, 0n]);
      await expect(s.credit.nextBatchAbove(1n)).to.be.revertedWithCustomError(s.credit, "BatchNotFound").withArgs(1n);
    });

    it("requires a hint (SerialRangeHintRequired) for a range below the highest one", async function () {
      const s = await loadFixture(fixture);
      await issue(s, range(s.projectA, s.alice.address, 1n, 10n));
      await issue(s, range(s.projectA, s.alice.address, 51n, 60n));
      await expect(s.credit.connect(s.verifier).issue(range(s.projectA, s.alice.address, 41n, 50n)))
        .to.be.revertedWithCustomError(s.credit, "SerialRangeHintRequired")
        .withArgs(s.projectA, 2n);
      // a range that overlaps a lower batch but not the highest is also "below the highest"
      await expect(s.credit.connect(s.verifier).issue(range(s.projectA, s.alice.address, 5n, 7n)))
        .to.be.revertedWithCustomError(s.credit, "SerialRangeHintRequired")
        .withArgs(s.projectA, 2n);
    });

    for (const [label, start, end] of [
      ["straddling its start", 5n, 21n],
      ["straddling its end", 25n, 40n],
      ["inside it", 22n, 23n],
      ["covering it", 1n, 100n],
      ["touching its last serial", 30n, 30n],
      ["touching its first serial", 20n, 20n],
    ] as const) {
      it(`reverts SerialRangeOverlap with the highest batch for a range ${label}`, async function () {
        const s = await loadFixture(fixture);
        await issue(s, range(s.projectA, s.alice.address, 20n, 30n));
        await expect(s.credit.connect(s.verifier).issue(range(s.projectA, s.alice.address, start, end)))
          .to.be.revertedWithCustomError(s.credit, "SerialRangeOverlap")
          .withArgs(s.projectA, 1n, 20n, 30n);
      });
    }

    it("issueWithHint(0) inserts below all ranges and moves the lowest end", async function () {
      const s = await loadFixture(fixture);
      await issue(s, range(s.projectA, s.alice.address, 11n, 20n));
      const id = await issue(s, range(s.projectA, s.alice.address, 1n, 10n), 0n);
      expect(id).to.equal(2n);
      expect(await s.credit.rangeEnds(s.projectA)).to.deep.equal([2n, 1n]);
      expect(await walkRanges(s.credit, s.projectA)).to.deep.equal([
        [2n, 1n, 10n],
        [1n, 11n, 20n],
      ]);
    });

    it("issueWithHint(0) on a project without batches sets both ends", async function () {
      const s = await loadFixture(fixture);
      await issue(s, range(s.projectA, s.alice.address, 5n, 6n), 0n);
      expect(await s.credit.rangeEnds(s.projectA)).to.deep.equal([1n, 1n]);
      // and a plain issue above it still works
      await issue(s, range(s.projectA, s.alice.address, 7n, 8n));
      expect(await walkRanges(s.credit, s.projectA)).to.deep.equal([
        [1n, 5n, 6n],
        [2n, 7n, 8n],
      ]);
    });

    it("issueWithHint with a middle hint links the batch between its neighbours", async function () {
      const s = await loadFixture(fixture);
      await issue(s, range(s.projectA, s.alice.address, 1n, 10n)); // 1
      await issue(s, range(s.projectA, s.alice.address, 31n, 40n)); // 2
      await expect(s.credit.connect(s.verifier).issueWithHint(range(s.projectA, s.alice.address, 11n, 20n), 1n))
        .to.emit(s.credit, "BatchIssued")
        .withArgs(3n, s.projectA, 2020, 11n, 20n, s.alice.address, ATTESTATION);
      await issue(s, range(s.projectA, s.alice.address, 21n, 30n), 3n); // 4, fills the gap exactly
      expect(await s.credit.rangeEnds(s.projectA)).to.deep.equal([1n, 2n]);
      expect(await walkRanges(s.credit, s.projectA)).to.deep.equal([
        [1n, 1n, 10n],
        [3n, 11n, 20n],
        [4n, 21n, 30n],
        [2n, 31n, 40n],
      ]);
      expect(await s.credit.balanceOf(s.alice.address, 4n)).to.equal(10_000n);
    });

    it("issueWithHint with the highest batch as hint appends and moves the highest end", async function () {
      const s = await loadFixture(fixture);
      await issue(s, range(s.projectA, s.alice.address, 1n, 10n));
      await issue(s, range(s.projectA, s.alice.address, 11n, 20n), 1n);
      expect(await s.credit.rangeEnds(s.projectA)).to.deep.equal([1n, 2n]);
    });

    describe("with ranges [1-10] #1, [21-30] #2, [41-50] #3 in project A and [100-200] #4 in project B", function () {
      async function threeFixture() {
        const s = await loadFixture(fixture);
        await issue(s, range(s.projectA, s.alice.address, 1n, 10n));
        await issue(s, range(s.projectA, s.alice.address, 21n, 30n));
        await issue(s, range(s.projectA, s.alice.address, 41n, 50n));
        await issue(s, range(s.projectB, s.bob.address, 100n, 200n));
        return s;
      }
      const hinted = (s: CreditsSuite, start: bigint, end: bigint, hint: bigint) =>
        s.credit.connect(s.verifier).issueWithHint(range(s.projectA, s.alice.address, start, end), hint);

      it("rejects a hint that lies above the new range (too high) with InvalidSerialHint", async function () {
        const s = await loadFixture(threeFixture);
        await expect(hinted(s, 11n, 20n, 2n))
          .to.be.revertedWithCustomError(s.credit, "InvalidSerialHint")
          .withArgs(s.projectA, 2n);
        await expect(hinted(s, 11n, 20n, 3n))
          .to.be.revertedWithCustomError(s.credit, "InvalidSerialHint")
          .withArgs(s.projectA, 3n);
      });

      it("rejects a hint whose successor lies below the new range (too low) with InvalidSerialHint", async function () {
        const s = await loadFixture(threeFixture);
        await expect(hinted(s, 31n, 40n, 1n))
          .to.be.revertedWithCustomError(s.credit, "InvalidSerialHint")
          .withArgs(s.projectA, 1n);
        await expect(hinted(s, 60n, 70n, 2n))
          .to.be.revertedWithCustomError(s.credit, "InvalidSerialHint")
          .withArgs(s.projectA, 2n);
      });

      it("rejects hint 0 when the new range is not below all ranges", async function () {
        const s = await loadFixture(threeFixture);
        await expect(hinted(s, 11n, 20n, 0n))
          .to.be.revertedWithCustomError(s.credit, "InvalidSerialHint")
          .withArgs(s.projectA, 0n);
      });

      it("rejects another project's batch and a nonexistent batch as hint", async function () {
        const s = await loadFixture(threeFixture);
        await expect(hinted(s, 11n, 20n, 4n))
          .to.be.revertedWithCustomError(s.credit, "InvalidSerialHint")
          .withArgs(s.projectA, 4n);
        await expect(hinted(s, 11n, 20n, 5n))
          .to.be.revertedWithCustomError(s.credit, "InvalidSerialHint")
          .withArgs(s.projectA, 5n);
        await expect(hinted(s, 11n, 20n, 2n ** 200n))
          .to.be.revertedWithCustomError(s.credit, "InvalidSerialHint")
          .withArgs(s.projectA, 2n ** 200n);
      });

      it("reverts SerialRangeOverlap naming the lower neighbour", async function () {
        const s = await loadFixture(threeFixture);
        await expect(hinted(s, 10n, 15n, 1n))
          .to.be.revertedWithCustomError(s.credit, "SerialRangeOverlap")
          .withArgs(s.projectA, 1n, 1n, 10n);
        await expect(hinted(s, 25n, 35n, 2n))
          .to.be.revertedWithCustomError(s.credit, "SerialRangeOverlap")
          .withArgs(s.projectA, 2n, 21n, 30n);
      });

      it("reverts SerialRangeOverlap naming the upper neighbour", async function () {
        const s = await loadFixture(threeFixture);
        await expect(hinted(s, 15n, 21n, 1n))
          .to.be.revertedWithCustomError(s.credit, "SerialRangeOverlap")
          .withArgs(s.projectA, 2n, 21n, 30n);
        await expect(hinted(s, 31n, 45n, 2n))
          .to.be.revertedWithCustomError(s.credit, "SerialRangeOverlap")
          .withArgs(s.projectA, 3n, 41n, 50n);
        // hint 0 with a range reaching into the lowest batch
        await expect(hinted(s, 0n, 1n, 0n))
          .to.be.revertedWithCustomError(s.credit, "SerialRangeOverlap")
          .withArgs(s.projectA, 1n, 1n, 10n);
      });

      it("rejects a range that swallows a neighbour (overlap, not a silent relink)", async function () {
        const s = await loadFixture(threeFixture);
        await expect(hinted(s, 11n, 60n, 1n))
          .to.be.revertedWithCustomError(s.credit, "SerialRangeOverlap")
          .withArgs(s.projectA, 2n, 21n, 30n);
      });

      it("leaves the list untouched after every rejection and accepts the exact gaps", async function () {
        const s = await loadFixture(threeFixture);
        await expect(hinted(s, 15n, 21n, 1n)).to.be.reverted;
        await expect(s.credit.connect(s.verifier).issue(range(s.projectA, s.alice.address, 11n, 20n))).to.be.reverted;
        await issue(s, range(s.projectA, s.alice.address, 11n, 20n), 1n); // #5
        await issue(s, range(s.projectA, s.alice.address, 31n, 40n), 2n); // #6
        await issue(s, range(s.projectA, s.alice.address, 0n, 0n), 0n); // #7
        expect(await walkRanges(s.credit, s.projectA)).to.deep.equal([
          [7n, 0n, 0n],
          [1n, 1n, 10n],
          [5n, 11n, 20n],
          [2n, 21n, 30n],
          [6n, 31n, 40n],
          [3n, 41n, 50n],
        ]);
      });

      it("keeps projects' lists apart: the same serials are free in another project", async function () {
        const s = await loadFixture(threeFixture);
        await issue(s, range(s.projectB, s.bob.address, 1n, 10n), 0n); // same serials as A's #1
        await issue(s, range(s.projectB, s.bob.address, 300n, 400n));
        expect(await walkRanges(s.credit, s.projectB)).to.deep.equal([
          [5n, 1n, 10n],
          [4n, 100n, 200n],
          [6n, 300n, 400n],
        ]);
        expect(await walkRanges(s.credit, s.projectA)).to.deep.equal([
          [1n, 1n, 10n],
          [2n, 21n, 30n],
          [3n, 41n, 50n],
        ]);
        // A's highest is still #3, unaffected by B's higher serials
        await expect(s.credit.connect(s.verifier).issue(range(s.projectA, s.alice.address, 45n, 46n)))
          .to.be.revertedWithCustomError(s.credit, "SerialRangeOverlap")
          .withArgs(s.projectA, 3n, 41n, 50n);
      });
    });

    it("stays sorted when many ranges arrive in shuffled order with correct hints", async function () {
      const s = await loadFixture(fixture);
      const n = 16;
      const starts = Array.from({ length: n }, (_, i) => BigInt(i * 100 + 1));
      // deterministic shuffle
      let seed = 42;
      const order = starts.map((v) => v);
      for (let i = order.length - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const j = seed % (i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const issued: { start: bigint; id: bigint }[] = [];
      for (const start of order) {
        const below = issued.filter((x) => x.start < start).sort((a, b) => (a.start < b.start ? 1 : -1))[0];
        const isTop = issued.every((x) => x.start < start);
        const p = range(s.projectA, s.alice.address, start, start + 49n);
        const id = isTop && issued.length > 0 ? await issue(s, p) : await issue(s, p, below ? below.id : 0n);
        issued.push({ start, id });
      }
      const walked = await walkRanges(s.credit, s.projectA);
      expect(walked.map((w) => w[1])).to.deep.equal(starts);
      const idOf = new Map(issued.map((x) => [x.start, x.id]));
      expect(walked.map((w) => w[0])).to.deep.equal(starts.map((st) => idOf.get(st)));
    });
  });

  describe("retire", function () {
    it("burns the caller's units, books retiredKg, mints a certificate to the beneficiary and emits Retired", async function () {
      const s = await loadFixture(heldFixture);
      const tx = s.credit.connect(s.alice).retire(s.b1, 1_500n, s.carol.address, "Carol Corp", "Scope 3 2024");
      await expect(tx)
        .to.emit(s.credit, "Retired")
        .withArgs(1n, s.b1, s.alice.address, s.carol.address, 1_500n, "Carol Corp", "Scope 3 2024");
      await expect(tx)
        .to.emit(s.credit, "TransferSingle")
        .withArgs(s.alice.address, s.alice.address, ethers.ZeroAddress, s.b1, 1_500n);
      await expect(tx).to.emit(s.certificate, "Transfer").withArgs(ethers.ZeroAddress, s.carol.address, 1n);
      expect(await s.credit.balanceOf(s.alice.address, s.b1)).to.equal(8_500n);
      const b = await s.credit.batch(s.b1);
      expect(b.retiredKg).to.equal(1_500n);
      expect(b.issuedKg).to.equal(10_000n);
      expect(await s.certificate.ownerOf(1n)).to.equal(s.carol.address);
      const c = await s.certificate.certificate(1n);
      expect(c.account).to.equal(s.alice.address);
      expect(c.beneficiary).to.equal(s.carol.address);
      expect(c.amountKg).to.equal(1_500n);
    });

    it("returns the certificate id and numbers certificates 1, 2, …", async function () {
      const s = await loadFixture(heldFixture);
      expect(await s.credit.connect(s.alice).retire.staticCall(s.b1, 1n, ethers.ZeroAddress, "", "")).to.equal(1n);
      await s.credit.connect(s.alice).retire(s.b1, 1n, ethers.ZeroAddress, "", "");
      expect(await s.credit.connect(s.alice).retire.staticCall(s.b2, 1n, ethers.ZeroAddress, "", "")).to.equal(2n);
    });

    it("mints the certificate to the caller when the beneficiary is zero", async function () {
      const s = await loadFixture(heldFixture);
      await expect(s.credit.connect(s.alice).retire(s.b1, 1_000n, ethers.ZeroAddress, "Alice", "Offset"))
        .to.emit(s.credit, "Retired")
        .withArgs(1n, s.b1, s.alice.address, s.alice.address, 1_000n, "Alice", "Offset");
      expect(await s.certificate.ownerOf(1n)).to.equal(s.alice.address);
    });

    it("retires a batch completely, after which the batch still exists with retiredKg == issuedKg", async function () {
      const s = await loadFixture(heldFixture);
      await s.credit.connect(s.alice).retire(s.b1, 4_000n, ethers.ZeroAddress, "", "");
      await s.credit.connect(s.alice).retire(s.b1, 6_000n, ethers.ZeroAddress, "", "");
      const b = await s.credit.batch(s.b1);
      expect(b.retiredKg).to.equal(b.issuedKg);
      expect(await s.credit.balanceOf(s.alice.address, s.b1)).to.equal(0n);
      expect(await s.credit.uri(s.b1)).to.match(/^data:application\/json;base64,/);
    });

    it("reverts ZeroAmount, BatchNotFound and ERC1155InsufficientBalance", async function () {
      const s = await loadFixture(heldFixture);
      await expect(
        s.credit.connect(s.alice).retire(s.b1, 0n, ethers.ZeroAddress, "", ""),
      ).to.be.revertedWithCustomError(s.credit, "ZeroAmount");
      await expect(s.credit.connect(s.alice).retire(99n, 1n, ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.credit, "BatchNotFound")
        .withArgs(99n);
      await expect(s.credit.connect(s.alice).retire(0n, 1n, ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.credit, "BatchNotFound")
        .withArgs(0n);
      await expect(s.credit.connect(s.alice).retire(s.b1, 10_001n, ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.credit, "ERC1155InsufficientBalance")
        .withArgs(s.alice.address, 10_000n, 10_001n, s.b1);
      await expect(s.credit.connect(s.bob).retire(s.b1, 1n, ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.credit, "ERC1155InsufficientBalance")
        .withArgs(s.bob.address, 0n, 1n, s.b1);
      expect((await s.credit.batch(s.b1)).retiredKg).to.equal(0n);
      expect(await s.certificate.totalCertificates()).to.equal(0n);
    });

    it("accepts a 256-byte name and reason and rejects 257 bytes with the lengths", async function () {
      const s = await loadFixture(heldFixture);
      const ok = "n".repeat(256);
      await s.credit.connect(s.alice).retire(s.b1, 1n, ethers.ZeroAddress, ok, ok);
      expect((await s.certificate.certificate(1n)).beneficiaryName).to.equal(ok);
      await expect(s.credit.connect(s.alice).retire(s.b1, 1n, ethers.ZeroAddress, "n".repeat(257), ""))
        .to.be.revertedWithCustomError(s.credit, "BeneficiaryNameTooLong")
        .withArgs(257, 256);
      await expect(s.credit.connect(s.alice).retire(s.b1, 1n, ethers.ZeroAddress, "", "r".repeat(257)))
        .to.be.revertedWithCustomError(s.credit, "ReasonTooLong")
        .withArgs(257, 256);
      // bytes, not characters: 65 four-byte emoji = 260 bytes
      await expect(s.credit.connect(s.alice).retire(s.b1, 1n, ethers.ZeroAddress, "🌍".repeat(65), ""))
        .to.be.revertedWithCustomError(s.credit, "BeneficiaryNameTooLong")
        .withArgs(260, 256);
    });

    for (const [label, status] of [
      ["Suspended", ProjectStatus.Suspended],
      ["Closed", ProjectStatus.Closed],
    ] as const) {
      it(`reverts ProjectNotActive for a ${label} project's credits, which can still be transferred`, async function () {
        const s = await loadFixture(heldFixture);
        await s.credit.connect(s.alice).setApprovalForAll(s.bob.address, true);
        await setStatus(s, s.projectA, status);
        await expect(s.credit.connect(s.alice).retire(s.b1, 1n, ethers.ZeroAddress, "", ""))
          .to.be.revertedWithCustomError(s.credit, "ProjectNotActive")
          .withArgs(s.projectA, status);
        await expect(s.credit.connect(s.bob).retireFrom(s.alice.address, s.b1, 1n, ethers.ZeroAddress, "", ""))
          .to.be.revertedWithCustomError(s.credit, "ProjectNotActive")
          .withArgs(s.projectA, status);
        await expect(s.credit.connect(s.alice).retireBatch([s.b2, s.b1], [1n, 1n], ethers.ZeroAddress, "", ""))
          .to.be.revertedWithCustomError(s.credit, "ProjectNotActive")
          .withArgs(s.projectA, status);
        await expect(s.credit.connect(s.alice).safeTransferFrom(s.alice.address, s.dave.address, s.b1, 2_000n, "0x"))
          .to.emit(s.credit, "TransferSingle")
          .withArgs(s.alice.address, s.alice.address, s.dave.address, s.b1, 2_000n);
        await s.credit
          .connect(s.alice)
          .safeBatchTransferFrom(s.alice.address, s.dave.address, [s.b1, s.b2], [1n, 1n], "0x");
        expect(await s.credit.balanceOf(s.dave.address, s.b1)).to.equal(2_001n);
        // the other project's credits are unaffected
        await s.credit.connect(s.alice).retire(s.b2, 1n, ethers.ZeroAddress, "", "");
      });
    }

    it("retires again after a Suspended project is reinstated", async function () {
      const s = await loadFixture(heldFixture);
      await setStatus(s, s.projectA, ProjectStatus.Suspended);
      await setStatus(s, s.projectA, ProjectStatus.Active);
      await expect(s.credit.connect(s.alice).retire(s.b1, 1n, ethers.ZeroAddress, "", "")).to.emit(s.credit, "Retired");
    });
  });

  describe("retireFrom", function () {
    it("lets an approved operator retire the holder's units; the event names the holder", async function () {
      const s = await loadFixture(heldFixture);
      await s.credit.connect(s.alice).setApprovalForAll(s.bob.address, true);
      await expect(
        s.credit.connect(s.bob).retireFrom(s.alice.address, s.b1, 2_000n, s.carol.address, "Carol", "Pool exit"),
      )
        .to.emit(s.credit, "Retired")
        .withArgs(1n, s.b1, s.alice.address, s.carol.address, 2_000n, "Carol", "Pool exit");
      expect(await s.credit.balanceOf(s.alice.address, s.b1)).to.equal(8_000n);
      expect(await s.credit.balanceOf(s.bob.address, s.b1)).to.equal(0n);
      expect((await s.credit.batch(s.b1)).retiredKg).to.equal(2_000n);
      const c = await s.certificate.certificate(1n);
      expect(c.account).to.equal(s.alice.address);
      expect(c.beneficiary).to.equal(s.carol.address);
    });

    it("mints to the holder (not the operator) when the beneficiary is zero", async function () {
      const s = await loadFixture(heldFixture);
      await s.credit.connect(s.alice).setApprovalForAll(s.bob.address, true);
      await s.credit.connect(s.bob).retireFrom(s.alice.address, s.b1, 1n, ethers.ZeroAddress, "", "");
      expect(await s.certificate.ownerOf(1n)).to.equal(s.alice.address);
    });

    it("lets the holder call it for themself without approval", async function () {
      const s = await loadFixture(heldFixture);
      await expect(s.credit.connect(s.alice).retireFrom(s.alice.address, s.b1, 1n, ethers.ZeroAddress, "", "")).to.emit(
        s.credit,
        "Retired",
      );
    });

    it("reverts ERC1155MissingApprovalForAll without approval, and after revocation", async function () {
      const s = await loadFixture(heldFixture);
      await expect(s.credit.connect(s.bob).retireFrom(s.alice.address, s.b1, 1n, ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.credit, "ERC1155MissingApprovalForAll")
        .withArgs(s.bob.address, s.alice.address);
      await s.credit.connect(s.alice).setApprovalForAll(s.bob.address, true);
      await s.credit.connect(s.alice).setApprovalForAll(s.bob.address, false);
      await expect(s.credit.connect(s.bob).retireFrom(s.alice.address, s.b1, 1n, ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.credit, "ERC1155MissingApprovalForAll")
        .withArgs(s.bob.address, s.alice.address);
    });

    it("applies the same input checks as retire", async function () {
      const s = await loadFixture(heldFixture);
      await s.credit.connect(s.alice).setApprovalForAll(s.bob.address, true);
      const rf = (id: bigint, amt: bigint, name = "", reason = "") =>
        s.credit.connect(s.bob).retireFrom(s.alice.address, id, amt, ethers.ZeroAddress, name, reason);
      await expect(rf(s.b1, 0n)).to.be.revertedWithCustomError(s.credit, "ZeroAmount");
      await expect(rf(42n, 1n)).to.be.revertedWithCustomError(s.credit, "BatchNotFound").withArgs(42n);
      await expect(rf(s.b1, 10_001n))
        .to.be.revertedWithCustomError(s.credit, "ERC1155InsufficientBalance")
        .withArgs(s.alice.address, 10_000n, 10_001n, s.b1);
      await expect(rf(s.b1, 1n, "x".repeat(257)))
        .to.be.revertedWithCustomError(s.credit, "BeneficiaryNameTooLong")
        .withArgs(257, 256);
      await expect(rf(s.b1, 1n, "", "x".repeat(257)))
        .to.be.revertedWithCustomError(s.credit, "ReasonTooLong")
        .withArgs(257, 256);
    });
  });

  describe("retireBatch", function () {
    it("retires several batches under one certificate with one Retired event per batch", async function () {
      const s = await loadFixture(heldFixture);
      const tx = s.credit.connect(s.alice).retireBatch([s.b1, s.b2], [1_200n, 300n], s.carol.address, "Carol", "FY24");
      await expect(tx)
        .to.emit(s.credit, "Retired")
        .withArgs(1n, s.b1, s.alice.address, s.carol.address, 1_200n, "Carol", "FY24");
      await expect(tx)
        .to.emit(s.credit, "Retired")
        .withArgs(1n, s.b2, s.alice.address, s.carol.address, 300n, "Carol", "FY24");
      await expect(tx)
        .to.emit(s.credit, "TransferBatch")
        .withArgs(s.alice.address, s.alice.address, ethers.ZeroAddress, [s.b1, s.b2], [1_200n, 300n]);
      const receipt = await (await tx).wait();
      const retired = receipt!.logs
        .filter((l) => l.address === (s.credit.target as string))
        .map((l) => s.credit.interface.parseLog(l))
        .filter((e) => e?.name === "Retired");
      expect(retired).to.have.length(2);
      expect(await s.credit.balanceOf(s.alice.address, s.b1)).to.equal(8_800n);
      expect(await s.credit.balanceOf(s.alice.address, s.b2)).to.equal(4_700n);
      expect((await s.credit.batch(s.b1)).retiredKg).to.equal(1_200n);
      expect((await s.credit.batch(s.b2)).retiredKg).to.equal(300n);
      expect(await s.certificate.totalCertificates()).to.equal(1n);
      const c = await s.certificate.certificate(1n);
      expect(c.batchIds).to.deep.equal([s.b1, s.b2]);
      expect(c.amountKg).to.equal(1_500n);
      expect(c.beneficiary).to.equal(s.carol.address);
    });

    it("mints to the caller when the beneficiary is zero and handles a single batch", async function () {
      const s = await loadFixture(heldFixture);
      expect(await s.credit.connect(s.alice).retireBatch.staticCall([s.b1], [5n], ethers.ZeroAddress, "", "")).to.equal(
        1n,
      );
      await s.credit.connect(s.alice).retireBatch([s.b1], [5n], ethers.ZeroAddress, "", "");
      expect(await s.certificate.ownerOf(1n)).to.equal(s.alice.address);
      expect((await s.certificate.certificate(1n)).batchIds).to.deep.equal([s.b1]);
    });

    it("books a batch listed twice twice, bounded by the balance", async function () {
      const s = await loadFixture(heldFixture);
      await s.credit.connect(s.alice).retireBatch([s.b1, s.b1], [4_000n, 6_000n], ethers.ZeroAddress, "", "");
      expect((await s.credit.batch(s.b1)).retiredKg).to.equal(10_000n);
      expect(await s.credit.balanceOf(s.alice.address, s.b1)).to.equal(0n);
      await expect(s.credit.connect(s.alice).retireBatch([s.b2, s.b2], [3_000n, 2_001n], ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.credit, "ERC1155InsufficientBalance")
        .withArgs(s.alice.address, 2_000n, 2_001n, s.b2);
    });

    it("accepts 20 batches and rejects 0 and 21 with InvalidBatchCount", async function () {
      const s = await loadFixture(fixture);
      const ids: bigint[] = [];
      for (let i = 0n; i < 21n; i++)
        ids.push(await issue(s, range(s.projectA, s.alice.address, i * 10n + 1n, i * 10n + 1n)));
      const ones = (n: number) => Array.from({ length: n }, () => 1n);
      await expect(s.credit.connect(s.alice).retireBatch([], [], ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.credit, "InvalidBatchCount")
        .withArgs(0, 20);
      await expect(s.credit.connect(s.alice).retireBatch(ids, ones(21), ethers.ZeroAddress, "", ""))
        .to.be.revertedWithCustomError(s.credit, "InvalidBatchCount")
        .withArgs(21, 20);
      await s.credit.connect(s.alice).retireBatch(ids.slice(0, 20), ones(20), ethers.ZeroAddress, "", "");
      expect((await s.certificate.certificate(1n)).batchIds).to.deep.equal(ids.slice(0, 20));
    });

    it("reverts ArrayLengthMismatch, ZeroAmount, BatchNotFound, InsufficientBalance and text caps", async function () {
      const s = await loadFixture(heldFixture);
      const rb = (ids: bigint[], amts: bigint[], name = "", reason = "") =>
        s.credit.connect(s.alice).retireBatch(ids, amts, ethers.ZeroAddress, name, reason);
      await expect(rb([s.b1, s.b2], [1n]))
        .to.be.revertedWithCustomError(s.credit, "ArrayLengthMismatch")
        .withArgs(2, 1);
      await expect(rb([s.b1], [1n, 2n]))
        .to.be.revertedWithCustomError(s.credit, "ArrayLengthMismatch")
        .withArgs(1, 2);
      await expect(rb([s.b1, s.b2], [1n, 0n])).to.be.revertedWithCustomError(s.credit, "ZeroAmount");
      await expect(rb([s.b1, 77n], [1n, 1n]))
        .to.be.revertedWithCustomError(s.credit, "BatchNotFound")
        .withArgs(77n);
      await expect(rb([s.b1, s.b2], [1n, 5_001n]))
        .to.be.revertedWithCustomError(s.credit, "ERC1155InsufficientBalance")
        .withArgs(s.alice.address, 5_000n, 5_001n, s.b2);
      await expect(rb([s.b1], [1n], "x".repeat(257)))
        .to.be.revertedWithCustomError(s.credit, "BeneficiaryNameTooLong")
        .withArgs(257, 256);
      await expect(rb([s.b1], [1n], "", "x".repeat(257)))
        .to.be.revertedWithCustomError(s.credit, "ReasonTooLong")
        .withArgs(257, 256);
      await rb([s.b1], [1n], "x".repeat(256), "y".repeat(256));
      expect((await s.credit.batch(s.b2)).retiredKg).to.equal(0n);
    });
  });

  describe("transfers", function () {
    it("moves units like any ERC-1155 (safeTransferFrom, safeBatchTransferFrom, operators)", async function () {
      const s = await loadFixture(heldFixture);
      await s.credit.connect(s.alice).safeTransferFrom(s.alice.address, s.bob.address, s.b1, 1_234n, "0x");
      expect(await s.credit.balanceOf(s.bob.address, s.b1)).to.equal(1_234n);
      await expect(s.credit.connect(s.carol).safeTransferFrom(s.alice.address, s.carol.address, s.b1, 1n, "0x"))
        .to.be.revertedWithCustomError(s.credit, "ERC1155MissingApprovalForAll")
        .withArgs(s.carol.address, s.alice.address);
      await s.credit.connect(s.alice).setApprovalForAll(s.carol.address, true);
      await s.credit
        .connect(s.carol)
        .safeBatchTransferFrom(s.alice.address, s.carol.address, [s.b1, s.b2], [1n, 2n], "0x");
      expect(await s.credit.balanceOfBatch([s.carol.address, s.carol.address], [s.b1, s.b2])).to.deep.equal([1n, 2n]);
    });
  });

  describe("pause", function () {
    it("lets the pauser pause and unpause with events", async function () {
      const s = await loadFixture(heldFixture);
      await expect(s.credit.connect(s.deployer).pause()).to.emit(s.credit, "Paused").withArgs(s.deployer.address);
      expect(await s.credit.paused()).to.equal(true);
      await expect(s.credit.connect(s.deployer).unpause()).to.emit(s.credit, "Unpaused").withArgs(s.deployer.address);
      expect(await s.credit.paused()).to.equal(false);
    });

    it("reverts AccessControlUnauthorizedAccount for pause without PAUSER_ROLE and unpause without DEFAULT_ADMIN_ROLE", async function () {
      const s = await loadFixture(heldFixture);
      await expect(s.credit.connect(s.outsider).pause())
        .to.be.revertedWithCustomError(s.credit, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.PAUSER);
      await s.credit.connect(s.deployer).pause();
      await expect(s.credit.connect(s.verifier).unpause())
        .to.be.revertedWithCustomError(s.credit, "AccessControlUnauthorizedAccount")
        .withArgs(s.verifier.address, ROLE.DEFAULT_ADMIN);
    });

    it("blocks issue, transfers and every retirement path with EnforcedPause while paused", async function () {
      const s = await loadFixture(heldFixture);
      await s.credit.connect(s.alice).setApprovalForAll(s.bob.address, true);
      await s.credit.connect(s.deployer).pause();
      const z = ethers.ZeroAddress;
      const calls = [
        () => s.credit.connect(s.verifier).issue(range(s.projectA, s.alice.address, 11n, 12n)),
        () => s.credit.connect(s.verifier).issueWithHint(range(s.projectA, s.alice.address, 11n, 12n), s.b1),
        () => s.credit.connect(s.alice).safeTransferFrom(s.alice.address, s.bob.address, s.b1, 1n, "0x"),
        () => s.credit.connect(s.alice).safeBatchTransferFrom(s.alice.address, s.bob.address, [s.b1], [1n], "0x"),
        () => s.credit.connect(s.alice).retire(s.b1, 1n, z, "", ""),
        () => s.credit.connect(s.bob).retireFrom(s.alice.address, s.b1, 1n, z, "", ""),
        () => s.credit.connect(s.alice).retireBatch([s.b1], [1n], z, "", ""),
      ];
      for (const c of calls) await expect(c()).to.be.revertedWithCustomError(s.credit, "EnforcedPause");
      await expect(s.credit.connect(s.deployer).pause()).to.be.revertedWithCustomError(s.credit, "EnforcedPause");
      await s.credit.connect(s.deployer).unpause();
      await expect(s.credit.connect(s.deployer).unpause()).to.be.revertedWithCustomError(s.credit, "ExpectedPause");
      await s.credit.connect(s.alice).retire(s.b1, 1n, z, "", "");
      await s.credit.connect(s.alice).safeTransferFrom(s.alice.address, s.bob.address, s.b1, 1n, "0x");
      await issue(s, range(s.projectA, s.alice.address, 11n, 12n));
    });
  });

  describe("uri", function () {
    it("returns base64 JSON metadata with project, vintage, serial range and cancelled kg (no label attribute when unlabelled)", async function () {
      const s = await loadFixture(heldFixture);
      const meta = decodeDataUri(await s.credit.uri(s.b1));
      expect(meta.name).to.equal(`Treelion carbon credit batch #${s.b1}`);
      expect(meta.decimals).to.equal(3);
      expect(typeof meta.description).to.equal("string");
      expect(meta.attributes).to.deep.equal([
        { trait_type: "Project", value: "Kasigau Corridor REDD+" },
        { trait_type: "Project id", value: s.projectA.toString() },
        { trait_type: "Vintage", value: "2020" },
        { trait_type: "Serial start", value: "1" },
        { trait_type: "Serial end", value: "10" },
        { trait_type: "Issued kg", value: "10000" },
        { trait_type: "Cancelled kg", value: "0" },
      ]);
      const meta2 = decodeDataUri(await s.credit.uri(s.b2));
      expect(meta2.attributes[0].value).to.equal("Sundarbans Mangroves");
      expect(meta2.attributes[2].value).to.equal("2019");
    });

    it("keeps valid JSON for a project name with quotes, backslashes and control characters", async function () {
      const s = await loadFixture(fixture);
      const hostile = 'Evil "quote" \\ back\\slash\n\t\r\b\f\u0000\u0001\u001f\u007f 🌳 ","x":"';
      const pid = await (async () => {
        const input = projectInput(s.alice.address, { name: hostile });
        const id = await s.registry.registerProject.staticCall(input);
        await s.registry.registerProject(input);
        await s.registry.connect(s.verifier).setProjectStatus(id, ProjectStatus.Active);
        return id;
      })();
      const id = await issue(s, issueParams(pid, s.alice.address));
      const meta = decodeDataUri(await s.credit.uri(id));
      expect(meta.attributes[0]).to.deep.equal({ trait_type: "Project", value: hostile });
      expect(meta.attributes).to.have.length(7);
      expect(Object.keys(meta).sort()).to.deep.equal(["attributes", "decimals", "description", "name"]);
    });

    it("reverts BatchNotFound for unknown ids (including id 0)", async function () {
      const s = await loadFixture(fixture);
      await expect(s.credit.uri(0n)).to.be.revertedWithCustomError(s.credit, "BatchNotFound").withArgs(0n);
      await expect(s.credit.uri(1n)).to.be.revertedWithCustomError(s.credit, "BatchNotFound").withArgs(1n);
      await expect(s.credit.batch(1n)).to.be.revertedWithCustomError(s.credit, "BatchNotFound").withArgs(1n);
      await expect(s.credit.projectOf(1n)).to.be.revertedWithCustomError(s.credit, "BatchNotFound").withArgs(1n);
    });
  });

  describe("roles administration", function () {
    it("only the admin grants ISSUER_ROLE; a new issuer can issue, a revoked one cannot", async function () {
      const s = await loadFixture(fixture);
      await expect(s.credit.connect(s.outsider).grantRole(ROLE.ISSUER, s.outsider.address))
        .to.be.revertedWithCustomError(s.credit, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.DEFAULT_ADMIN);
      await s.credit.connect(s.deployer).grantRole(ROLE.ISSUER, s.outsider.address);
      await s.credit.connect(s.outsider).issue(range(s.projectA, s.alice.address, 1n, 1n));
      await s.credit.connect(s.deployer).revokeRole(ROLE.ISSUER, s.outsider.address);
      await expect(s.credit.connect(s.outsider).issue(range(s.projectA, s.alice.address, 2n, 2n)))
        .to.be.revertedWithCustomError(s.credit, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.ISSUER);
    });
  });
});
