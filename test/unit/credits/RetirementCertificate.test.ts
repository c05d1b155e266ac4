import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { RetirementCertificate } from "../../../typechain-types";
import { ProjectStatus, ROLE, decodeDataUri, projectInput } from "../../helpers/suite";
import { creditsSuite, issue, range } from "../../helpers/credits";

const Z = ethers.ZeroAddress;

/** Every C0 control character, U+0000..U+001F. */
const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join("");

describe("RetirementCertificate", function () {
  /** File-local base fixture (never share a fixture function across files: see CarbonCredit.test.ts). */
  async function base() {
    return creditsSuite();
  }

  /** Alice holds batch 1 (A, 2020, 10 t), 2 (A, 2021, 10 t), 3 (B, 2020, 10 t), 4 (A, 2020, 10 t). */
  async function fixture() {
    const s = await loadFixture(base);
    const b1 = await issue(s, range(s.projectA, s.alice.address, 1n, 10n, { vintage: 2020 }));
    const b2 = await issue(s, range(s.projectA, s.alice.address, 11n, 20n, { vintage: 2021 }));
    const b3 = await issue(s, range(s.projectB, s.alice.address, 1n, 10n, { vintage: 2020 }));
    const b4 = await issue(s, range(s.projectA, s.alice.address, 21n, 30n, { vintage: 2020 }));
    return { ...s, b1, b2, b3, b4 };
  }

  /** A fresh certificate whose minter is an EOA (dave), to exercise mint/mintMulti directly. */
  async function directFixture() {
    const s = await loadFixture(fixture);
    const cert = (await ethers.deployContract("RetirementCertificate", [
      s.deployer.address,
    ])) as unknown as RetirementCertificate;
    await cert.setMinter(s.dave.address);
    return { ...s, cert };
  }

  const attrs = (meta: { attributes: { trait_type: string; value: unknown }[] }) =>
    Object.fromEntries(meta.attributes.map((a) => [a.trait_type, a.value]));

  describe("soulbound (ERC-5192)", function () {
    it("emits Locked at mint and reports locked() true", async function () {
      const s = await loadFixture(fixture);
      await expect(s.credit.connect(s.alice).retire(s.b1, 1n, Z, "", ""))
        .to.emit(s.certificate, "Locked")
        .withArgs(1n);
      expect(await s.certificate.locked(1n)).to.equal(true);
    });

    it("reverts ERC721NonexistentToken for unknown certificates in every view", async function () {
      const s = await loadFixture(fixture);
      for (const id of [0n, 1n]) {
        await expect(s.certificate.locked(id))
          .to.be.revertedWithCustomError(s.certificate, "ERC721NonexistentToken")
          .withArgs(id);
        await expect(s.certificate.tokenURI(id))
          .to.be.revertedWithCustomError(s.certificate, "ERC721NonexistentToken")
          .withArgs(id);
        await expect(s.certificate.certificate(id))
          .to.be.revertedWithCustomError(s.certificate, "ERC721NonexistentToken")
          .withArgs(id);
        await expect(s.certificate.ownerOf(id))
          .to.be.revertedWithCustomError(s.certificate, "ERC721NonexistentToken")
          .withArgs(id);
      }
    });

    it("blocks transferFrom and both safeTransferFrom overloads with CertificateNonTransferable", async function () {
      const s = await loadFixture(fixture);
      await s.credit.connect(s.alice).retire(s.b1, 1n, s.carol.address, "", "");
      const c = s.certificate.connect(s.carol);
      await expect(c.transferFrom(s.carol.address, s.bob.address, 1n))
        .to.be.revertedWithCustomError(s.certificate, "CertificateNonTransferable")
        .withArgs(1n);
      await expect(c["safeTransferFrom(address,address,uint256)"](s.carol.address, s.bob.address, 1n))
        .to.be.revertedWithCustomError(s.certificate, "CertificateNonTransferable")
        .withArgs(1n);
      await expect(c["safeTransferFrom(address,address,uint256,bytes)"](s.carol.address, s.bob.address, 1n, "0x1234"))
        .to.be.revertedWithCustomError(s.certificate, "CertificateNonTransferable")
        .withArgs(1n);
      // not by the retiring account, nor by the minter contract's admin either
      await expect(s.certificate.connect(s.alice).transferFrom(s.carol.address, s.alice.address, 1n))
        .to.be.revertedWithCustomError(s.certificate, "CertificateNonTransferable")
        .withArgs(1n);
      expect(await s.certificate.ownerOf(1n)).to.equal(s.carol.address);
      expect(await s.certificate.balanceOf(s.carol.address)).to.equal(1n);
    });

    it("blocks approve (CertificateNonTransferable) and setApprovalForAll (ApprovalsDisabled)", async function () {
      const s = await loadFixture(fixture);
      await s.credit.connect(s.alice).retire(s.b1, 1n, Z, "", "");
      await expect(s.certificate.connect(s.alice).approve(s.bob.address, 1n))
        .to.be.revertedWithCustomError(s.certificate, "CertificateNonTransferable")
        .withArgs(1n);
      await expect(s.certificate.connect(s.alice).setApprovalForAll(s.bob.address, true)).to.be.revertedWithCustomError(
        s.certificate,
        "ApprovalsDisabled",
      );
      expect(await s.certificate.getApproved(1n)).to.equal(Z);
      expect(await s.certificate.isApprovedForAll(s.alice.address, s.bob.address)).to.equal(false);
    });

    it("supports ERC-5192 (0xb45a3c0e), ERC-721, ERC-721 metadata, AccessControl and ERC-165", async function () {
      const s = await loadFixture(fixture);
      expect(await s.certificate.supportsInterface("0xb45a3c0e")).to.equal(true);
      expect(await s.certificate.supportsInterface("0x80ac58cd")).to.equal(true);
      expect(await s.certificate.supportsInterface("0x5b5e139f")).to.equal(true);
      expect(await s.certificate.supportsInterface("0x7965db0b")).to.equal(true);
      expect(await s.certificate.supportsInterface("0x01ffc9a7")).to.equal(true);
      expect(await s.certificate.supportsInterface("0xd9b67a26")).to.equal(false);
      expect(await s.certificate.supportsInterface("0xffffffff")).to.equal(false);
      expect(await s.certificate.name()).to.equal("Treelion Retirement Certificate");
      expect(await s.certificate.symbol()).to.equal("TRC");
    });
  });

  describe("minter", function () {
    it("is the CarbonCredit contract, set once", async function () {
      const s = await loadFixture(fixture);
      expect(await s.certificate.minter()).to.equal(await s.credit.getAddress());
      await expect(s.certificate.connect(s.deployer).setMinter(s.outsider.address))
        .to.be.revertedWithCustomError(s.certificate, "MinterAlreadySet")
        .withArgs(await s.credit.getAddress());
    });

    it("rejects mint and mintMulti from anyone but the minter with NotMinter", async function () {
      const s = await loadFixture(fixture);
      for (const who of [s.deployer, s.alice, s.outsider]) {
        await expect(s.certificate.connect(who).mint(who.address, who.address, s.b1, 1n, "", ""))
          .to.be.revertedWithCustomError(s.certificate, "NotMinter")
          .withArgs(who.address);
        await expect(s.certificate.connect(who).mintMulti(who.address, who.address, [s.b1, s.b2], 1n, "", ""))
          .to.be.revertedWithCustomError(s.certificate, "NotMinter")
          .withArgs(who.address);
      }
    });

    it("setMinter: only the admin, never zero, emits MinterSet; nobody mints before it is set", async function () {
      const s = await loadFixture(fixture);
      const cert = (await ethers.deployContract("RetirementCertificate", [
        s.deployer.address,
      ])) as unknown as RetirementCertificate;
      expect(await cert.minter()).to.equal(Z);
      await expect(cert.connect(s.outsider).mint(s.outsider.address, s.outsider.address, 1n, 1n, "", ""))
        .to.be.revertedWithCustomError(cert, "NotMinter")
        .withArgs(s.outsider.address);
      await expect(cert.connect(s.outsider).setMinter(s.outsider.address))
        .to.be.revertedWithCustomError(cert, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.DEFAULT_ADMIN);
      await expect(cert.setMinter(Z)).to.be.revertedWithCustomError(cert, "ZeroAddress").withArgs("minter");
      const creditAddr = await s.credit.getAddress();
      await expect(cert.setMinter(creditAddr)).to.emit(cert, "MinterSet").withArgs(creditAddr);
      expect(await cert.minter()).to.equal(creditAddr);
      await expect(cert.setMinter(s.dave.address))
        .to.be.revertedWithCustomError(cert, "MinterAlreadySet")
        .withArgs(creditAddr);
    });

    it("mint and mintMulti return sequential ids and store what they are given", async function () {
      const s = await loadFixture(directFixture);
      const c = s.cert.connect(s.dave);
      expect(await c.mint.staticCall(s.bob.address, s.alice.address, 7n, 1n, "b", "r")).to.equal(1n);
      await c.mint(s.bob.address, s.alice.address, 7n, 1n, "b", "r");
      expect(await c.mintMulti.staticCall(s.bob.address, s.bob.address, [3n, 5n, 9n], 10n, "", "")).to.equal(2n);
      await c.mintMulti(s.bob.address, s.bob.address, [3n, 5n, 9n], 10n, "", "");
      await c.mintMulti(s.carol.address, s.carol.address, [4n], 11n, "n", "");
      expect(await s.cert.totalCertificates()).to.equal(3n);
      expect((await s.cert.certificate(1n)).batchIds).to.deep.equal([7n]);
      expect((await s.cert.certificate(1n)).account).to.equal(s.alice.address);
      expect((await s.cert.certificate(2n)).batchIds).to.deep.equal([3n, 5n, 9n]);
      expect((await s.cert.certificate(2n)).account).to.equal(s.bob.address);
      expect((await s.cert.certificate(3n)).batchIds).to.deep.equal([4n]);
    });

    it("refuses amounts and batch ids that do not fit its packed storage (SafeCast)", async function () {
      const s = await loadFixture(directFixture);
      const c = s.cert.connect(s.dave);
      await expect(c.mint(s.bob.address, s.bob.address, 1n, 2n ** 96n, "", ""))
        .to.be.revertedWithCustomError(s.cert, "SafeCastOverflowedUintDowncast")
        .withArgs(96, 2n ** 96n);
      await expect(c.mint(s.bob.address, s.bob.address, 2n ** 48n, 1n, "", ""))
        .to.be.revertedWithCustomError(s.cert, "SafeCastOverflowedUintDowncast")
        .withArgs(48, 2n ** 48n);
      await c.mint(s.bob.address, s.bob.address, 2n ** 48n - 1n, 2n ** 96n - 1n, "", "");
      const cv = await s.cert.certificate(1n);
      expect(cv.amountKg).to.equal(2n ** 96n - 1n);
      expect(cv.batchIds).to.deep.equal([2n ** 48n - 1n]);
    });
  });

  describe("certificate()", function () {
    it("returns batch, account, beneficiary, amount, time, name and reason", async function () {
      const s = await loadFixture(fixture);
      await s.credit.connect(s.alice).retire(s.b1, 1_500n, Z, "Alice GmbH", "Scope 1 2024");
      const ts = await time.latest();
      const c = await s.certificate.certificate(1n);
      expect(c.batchIds).to.deep.equal([s.b1]);
      expect(c.account).to.equal(s.alice.address);
      expect(c.beneficiary).to.equal(s.alice.address);
      expect(c.amountKg).to.equal(1_500n);
      expect(c.retiredAt).to.equal(BigInt(ts));
      expect(c.beneficiaryName).to.equal("Alice GmbH");
      expect(c.reason).to.equal("Scope 1 2024");
      expect(await s.certificate.totalCertificates()).to.equal(1n);
    });

    it("distinguishes the retiring account from the beneficiary", async function () {
      const s = await loadFixture(fixture);
      await s.credit.connect(s.alice).retire(s.b1, 1n, s.carol.address, "Carol", "gift");
      const c = await s.certificate.certificate(1n);
      expect(c.account).to.equal(s.alice.address);
      expect(c.beneficiary).to.equal(s.carol.address);
      expect(await s.certificate.ownerOf(1n)).to.equal(s.carol.address);
    });

    it("lists every batch of a multi-batch certificate with the total amount", async function () {
      const s = await loadFixture(fixture);
      await s.credit.connect(s.alice).retireBatch([s.b1, s.b3, s.b2], [1n, 20n, 300n], s.bob.address, "Bob", "mixed");
      const c = await s.certificate.certificate(1n);
      expect(c.batchIds).to.deep.equal([s.b1, s.b3, s.b2]);
      expect(c.amountKg).to.equal(321n);
      expect(c.account).to.equal(s.alice.address);
      expect(c.beneficiary).to.equal(s.bob.address);
      expect(c.beneficiaryName).to.equal("Bob");
      expect(c.reason).to.equal("mixed");
    });

    const lengths: [number, number][] = [
      [0, 0],
      [0, 1],
      [1, 0],
      [31, 1],
      [32, 0],
      [0, 32],
      [31, 33],
      [33, 31],
      [100, 7],
      [255, 256],
      [256, 256],
    ];
    it(`round-trips name/reason of byte lengths ${lengths.map(([a, b]) => `${a}+${b}`).join(", ")}`, async function () {
      const s = await loadFixture(fixture);
      let id = 0n;
      for (const [n, r] of lengths) {
        const name = Array.from({ length: n }, (_, i) => String.fromCharCode(65 + (i % 26))).join("");
        const reason = Array.from({ length: r }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join("");
        await s.credit.connect(s.alice).retire(s.b1, 1n, Z, name, reason);
        id += 1n;
        const c = await s.certificate.certificate(id);
        expect(c.beneficiaryName, `name ${n}+${r}`).to.equal(name);
        expect(c.reason, `reason ${n}+${r}`).to.equal(reason);
      }
    });
  });

  describe("tokenURI", function () {
    async function uriOf(s: Awaited<ReturnType<typeof fixture>>, id: bigint) {
      const uri = await s.certificate.tokenURI(id);
      expect(uri.startsWith("data:application/json;base64,")).to.equal(true);
      return decodeDataUri(uri);
    }

    it("describes a single-batch retirement with every attribute", async function () {
      const s = await loadFixture(fixture);
      await s.credit.connect(s.alice).retire(s.b1, 1_500n, s.carol.address, "Carol Corp", "Scope 3 travel");
      const ts = await time.latest();
      const meta = await uriOf(s, 1n);
      expect(meta.name).to.equal("Treelion Retirement Certificate #1");
      expect(meta.description).to.equal(
        "Retirement of 1.500 tonnes CO2e of verified carbon credits. This certificate is non-transferable.",
      );
      expect(meta.attributes).to.deep.equal([
        { trait_type: "Project", value: "Kasigau Corridor REDD+" },
        { trait_type: "Vintage", value: "2020" },
        { trait_type: "Tonnes", value: "1.500" },
        { trait_type: "Batches", value: s.b1.toString() },
        { trait_type: "Beneficiary", value: "Carol Corp" },
        { trait_type: "Reason", value: "Scope 3 travel" },
        { trait_type: "Beneficiary address", value: s.carol.address.toLowerCase() },
        { trait_type: "Retired by", value: s.alice.address.toLowerCase() },
        { trait_type: "Retired at", display_type: "date", value: ts },
      ]);
    });

    for (const [kg, tonnes] of [
      [1n, "0.001"],
      [10n, "0.010"],
      [100n, "0.100"],
      [999n, "0.999"],
      [1_000n, "1.000"],
      [1_500n, "1.500"],
      [1_001n, "1.001"],
      [10_000n, "10.000"],
    ] as const) {
      it(`formats ${kg} kg as "${tonnes}" tonnes`, async function () {
        const s = await loadFixture(fixture);
        await s.credit.connect(s.alice).retire(s.b1, kg, Z, "", "");
        const a = attrs(await uriOf(s, 1n));
        expect(a.Tonnes).to.equal(tonnes);
      });
    }

    it('formats 1,000,000 kg as "1000.000" tonnes', async function () {
      const s = await loadFixture(fixture);
      await issue(s, range(s.projectA, s.alice.address, 1000n, 1999n));
      await s.credit.connect(s.alice).retire(5n, 1_000_000n, Z, "", "");
      expect(attrs(await uriOf(s, 1n)).Tonnes).to.equal("1000.000");
    });

    const hostile: [string, string, string][] = [
      ["quotes", 'He said "hi"', '","trait_type":"Injected'],
      ["backslashes", "C:\\path\\to\\", "\\\\\\"],
      ["newlines and tabs", "line1\nline2\r\n\ttab", "\b\f\v"],
      ["every control character U+0000..U+001F", CONTROL, `x${CONTROL}y`],
      ["DEL and unicode emoji", "\u007f🌳🌍 Ärger ☃", "💚".repeat(10)],
      ["256-byte strings", '"'.repeat(256), "\\".repeat(256)],
      ["256-byte emoji strings", "🌳".repeat(64), "\u0000".repeat(256)],
      ["empty strings", "", ""],
      ["JSON lookalikes", "}]},{", '"}]}'],
    ];
    for (const [label, name, reason] of hostile) {
      it(`keeps valid JSON and exact values for hostile beneficiary name and reason: ${label}`, async function () {
        const s = await loadFixture(fixture);
        await s.credit.connect(s.alice).retire(s.b1, 2_000n, Z, name, reason);
        const meta = await uriOf(s, 1n);
        expect(meta.attributes).to.have.length(9);
        const a = attrs(meta);
        expect(a.Beneficiary).to.equal(name);
        expect(a.Reason).to.equal(reason);
        expect(a.Tonnes).to.equal("2.000");
        expect(a.Project).to.equal("Kasigau Corridor REDD+");
        expect(a["Retired by"]).to.equal(s.alice.address.toLowerCase());
        const c = await s.certificate.certificate(1n);
        expect(c.beneficiaryName).to.equal(name);
        expect(c.reason).to.equal(reason);
      });
    }

    it("escapes a hostile project name too", async function () {
      const s = await loadFixture(fixture);
      const evil = `Evil "proj" \\ ${CONTROL} 🌳`;
      const input = projectInput(s.alice.address, { name: evil });
      const pid = await s.registry.registerProject.staticCall(input);
      await s.registry.registerProject(input);
      await s.registry.connect(s.verifier).setProjectStatus(pid, ProjectStatus.Active);
      const b = await issue(s, range(pid, s.alice.address, 1n, 1n));
      await s.credit.connect(s.alice).retire(b, 1n, Z, '"', "\\");
      const a = attrs(await uriOf(s, 1n));
      expect(a.Project).to.equal(evil);
      expect(a.Beneficiary).to.equal('"');
      expect(a.Reason).to.equal("\\");
    });

    it('says "Multiple projects" and "Mixed" for batches of different projects and vintages', async function () {
      const s = await loadFixture(fixture);
      await s.credit.connect(s.alice).retireBatch([s.b1, s.b3, s.b2], [500n, 500n, 1_000n], Z, "n", "r");
      const a = attrs(await uriOf(s, 1n));
      expect(a.Project).to.equal("Multiple projects");
      expect(a.Vintage).to.equal("Mixed");
      expect(a.Batches).to.equal(`${s.b1}, ${s.b3}, ${s.b2}`);
      expect(a.Tonnes).to.equal("2.000");
    });

    it("names the project and vintage when every batch shares them", async function () {
      const s = await loadFixture(fixture);
      await s.credit.connect(s.alice).retireBatch([s.b1, s.b4], [1n, 2n], Z, "", "");
      const a = attrs(await uriOf(s, 1n));
      expect(a.Project).to.equal("Kasigau Corridor REDD+");
      expect(a.Vintage).to.equal("2020");
      expect(a.Batches).to.equal(`${s.b1}, ${s.b4}`);
      expect(a.Tonnes).to.equal("0.003");
    });

    it("names the project but says Mixed for one project's different vintages", async function () {
      const s = await loadFixture(fixture);
      await s.credit.connect(s.alice).retireBatch([s.b1, s.b2], [1n, 1n], Z, "", "");
      const a = attrs(await uriOf(s, 1n));
      expect(a.Project).to.equal("Kasigau Corridor REDD+");
      expect(a.Vintage).to.equal("Mixed");
    });

    it('says "Multiple projects" but names a shared vintage across projects', async function () {
      const s = await loadFixture(fixture);
      await s.credit.connect(s.alice).retireBatch([s.b1, s.b3], [1n, 1n], Z, "", "");
      const a = attrs(await uriOf(s, 1n));
      expect(a.Project).to.equal("Multiple projects");
      expect(a.Vintage).to.equal("2020");
    });
  });
});
