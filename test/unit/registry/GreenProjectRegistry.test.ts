import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Category, ProjectStatus, ROLE, coreSuite, projectInput } from "../../helpers/suite";
import { ENUMS } from "../../../sdk/generated";

const STATUS_NAMES = ENUMS.ProjectStatus;
const ALLOWED = new Set([
  "Pending>Active",
  "Pending>Closed",
  "Active>Suspended",
  "Active>Closed",
  "Suspended>Active",
  "Suspended>Closed",
]);

/** Country code as bytes2 hex. */
const cc = (s: string) => ethers.hexlify(ethers.toUtf8Bytes(s));

describe("GreenProjectRegistry", function () {
  async function fixture() {
    const s = await coreSuite();
    return s;
  }

  /** Registers a project and moves it to `status` along allowed transitions; returns its id. */
  async function projectIn(s: Awaited<ReturnType<typeof fixture>>, status: number): Promise<bigint> {
    const input = projectInput(s.alice.address);
    const id = await s.registry.registerProject.staticCall(input);
    await s.registry.registerProject(input);
    const v = s.registry.connect(s.verifier);
    if (status === ProjectStatus.Active || status === ProjectStatus.Suspended)
      await v.setProjectStatus(id, ProjectStatus.Active);
    if (status === ProjectStatus.Suspended) await v.setProjectStatus(id, ProjectStatus.Suspended);
    if (status === ProjectStatus.Closed) await v.setProjectStatus(id, ProjectStatus.Closed);
    expect(await s.registry.statusOf(id)).to.equal(status);
    return id;
  }

  describe("registerProject", function () {
    it("assigns ids starting at 1 and counts projects", async function () {
      const s = await loadFixture(fixture);
      expect(await s.registry.projectCount()).to.equal(0n);
      const a = projectInput(s.alice.address);
      expect(await s.registry.registerProject.staticCall(a)).to.equal(1n);
      await s.registry.registerProject(a);
      const b = projectInput(s.bob.address);
      expect(await s.registry.registerProject.staticCall(b)).to.equal(2n);
      await s.registry.registerProject(b);
      expect(await s.registry.projectCount()).to.equal(2n);
    });

    it("stores every input field, status Pending and the registration time", async function () {
      const s = await loadFixture(fixture);
      const input = projectInput(s.alice.address, {
        name: "Kasigau Corridor REDD+",
        category: Category.BlueCarbon,
        country: cc("KE"),
        standard: "Verra VCS",
        externalId: "VCS-612",
        methodology: "VM0009",
        metadataURI: "ipfs://bafy-kasigau",
      });
      const tx = await s.registry.registerProject(input);
      const ts = await time.latest();
      await expect(tx)
        .to.emit(s.registry, "ProjectRegistered")
        .withArgs(1n, s.alice.address, "Kasigau Corridor REDD+", Category.BlueCarbon, cc("KE"), "Verra VCS", "VCS-612");
      const p = await s.registry.project(1n);
      expect(p.owner).to.equal(s.alice.address);
      expect(p.name).to.equal("Kasigau Corridor REDD+");
      expect(p.category).to.equal(BigInt(Category.BlueCarbon));
      expect(p.country).to.equal(cc("KE"));
      expect(p.standard).to.equal("Verra VCS");
      expect(p.externalId).to.equal("VCS-612");
      expect(p.methodology).to.equal("VM0009");
      expect(p.metadataURI).to.equal("ipfs://bafy-kasigau");
      expect(p.status).to.equal(BigInt(ProjectStatus.Pending));
      expect(p.registeredAt).to.equal(BigInt(ts));
      expect(await s.registry.nameOf(1n)).to.equal("Kasigau Corridor REDD+");
      expect(await s.registry.standardOf(1n)).to.equal("Verra VCS");
      expect(await s.registry.categoryOf(1n)).to.equal(BigInt(Category.BlueCarbon));
      expect(await s.registry.statusOf(1n)).to.equal(BigInt(ProjectStatus.Pending));
      expect(await s.registry.isActive(1n)).to.equal(false);
      expect(await s.registry.projectIdOf("Verra VCS", "VCS-612")).to.equal(1n);
      expect(await s.registry.projectIdOf("Verra VCS", "VCS-613")).to.equal(0n);
    });

    it("accepts every category and empty methodology and metadata URI", async function () {
      const s = await loadFixture(fixture);
      for (let c = 0; c < 8; c++) {
        const input = projectInput(s.alice.address, { category: c, methodology: "", metadataURI: "" });
        const id = await s.registry.registerProject.staticCall(input);
        await s.registry.registerProject(input);
        expect(await s.registry.categoryOf(id)).to.equal(BigInt(c));
      }
    });

    it("rejects an out-of-range category", async function () {
      const s = await loadFixture(fixture);
      await expect(s.registry.registerProject(projectInput(s.alice.address, { category: 8 }))).to.be.reverted;
    });

    it("reverts DuplicateProject for the same (standard, externalId), naming the existing id", async function () {
      const s = await loadFixture(fixture);
      await s.registry.registerProject(
        projectInput(s.alice.address, { standard: "Gold Standard", externalId: "GS-1" }),
      );
      await expect(
        s.registry.registerProject(
          projectInput(s.bob.address, { standard: "Gold Standard", externalId: "GS-1", name: "Other" }),
        ),
      )
        .to.be.revertedWithCustomError(s.registry, "DuplicateProject")
        .withArgs("Gold Standard", "GS-1", 1n);
    });

    it("allows the same external id under another standard, and does not confuse concatenations", async function () {
      const s = await loadFixture(fixture);
      await s.registry.registerProject(projectInput(s.alice.address, { standard: "Verra", externalId: "1" }));
      await s.registry.registerProject(projectInput(s.alice.address, { standard: "Gold", externalId: "1" }));
      // "Verr" + "a1" concatenates to the same bytes as "Verra" + "1"
      await s.registry.registerProject(projectInput(s.alice.address, { standard: "Verr", externalId: "a1" }));
      expect(await s.registry.projectCount()).to.equal(3n);
    });

    it("reverts ZeroAddress(owner), EmptyName, EmptyStandard, EmptyExternalId", async function () {
      const s = await loadFixture(fixture);
      await expect(s.registry.registerProject(projectInput(ethers.ZeroAddress)))
        .to.be.revertedWithCustomError(s.registry, "ZeroAddress")
        .withArgs("owner");
      await expect(
        s.registry.registerProject(projectInput(s.alice.address, { name: "" })),
      ).to.be.revertedWithCustomError(s.registry, "EmptyName");
      await expect(
        s.registry.registerProject(projectInput(s.alice.address, { standard: "" })),
      ).to.be.revertedWithCustomError(s.registry, "EmptyStandard");
      await expect(
        s.registry.registerProject(projectInput(s.alice.address, { externalId: "" })),
      ).to.be.revertedWithCustomError(s.registry, "EmptyExternalId");
    });

    for (const bad of ["ke", "Ke", "kE", "K1", "12", "K ", "@A", "A[", "\u0000\u0000"]) {
      it(`reverts InvalidCountry for ${JSON.stringify(bad)}`, async function () {
        const s = await loadFixture(fixture);
        const country = cc(bad);
        await expect(s.registry.registerProject(projectInput(s.alice.address, { country })))
          .to.be.revertedWithCustomError(s.registry, "InvalidCountry")
          .withArgs(country);
      });
    }

    it("accepts the uppercase bounds AA and ZZ", async function () {
      const s = await loadFixture(fixture);
      await s.registry.registerProject(projectInput(s.alice.address, { country: cc("AA") }));
      await s.registry.registerProject(projectInput(s.alice.address, { country: cc("ZZ") }));
      expect((await s.registry.project(2n)).country).to.equal(cc("ZZ"));
    });

    const caps: [string, string, number][] = [
      ["name", "name", 128],
      ["standard", "standard", 64],
      ["externalId", "externalId", 64],
      ["methodology", "methodology", 128],
      ["metadataURI", "metadataURI", 512],
    ];
    for (const [key, field, max] of caps) {
      it(`accepts ${field} of exactly ${max} bytes and reverts FieldTooLong at ${max + 1}`, async function () {
        const s = await loadFixture(fixture);
        await s.registry.registerProject(projectInput(s.alice.address, { [key]: "x".repeat(max) }));
        await expect(s.registry.registerProject(projectInput(s.alice.address, { [key]: "y".repeat(max + 1) })))
          .to.be.revertedWithCustomError(s.registry, "FieldTooLong")
          .withArgs(field, max + 1, max);
      });
    }

    it("counts multi-byte characters in bytes for the caps", async function () {
      const s = await loadFixture(fixture);
      const name = "🌳".repeat(33); // 4 bytes each: 132 bytes
      await expect(s.registry.registerProject(projectInput(s.alice.address, { name })))
        .to.be.revertedWithCustomError(s.registry, "FieldTooLong")
        .withArgs("name", 132, 128);
    });

    it("exposes the caps", async function () {
      const s = await loadFixture(fixture);
      expect(await s.registry.MAX_NAME_LENGTH()).to.equal(128n);
      expect(await s.registry.MAX_STANDARD_LENGTH()).to.equal(64n);
      expect(await s.registry.MAX_EXTERNAL_ID_LENGTH()).to.equal(64n);
      expect(await s.registry.MAX_METHODOLOGY_LENGTH()).to.equal(128n);
      expect(await s.registry.MAX_URI_LENGTH()).to.equal(512n);
    });

    it("reverts AccessControlUnauthorizedAccount without REGISTRAR_ROLE", async function () {
      const s = await loadFixture(fixture);
      await expect(s.registry.connect(s.outsider).registerProject(projectInput(s.alice.address)))
        .to.be.revertedWithCustomError(s.registry, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.REGISTRAR);
      // the verifier is not a registrar either
      await expect(s.registry.connect(s.verifier).registerProject(projectInput(s.alice.address)))
        .to.be.revertedWithCustomError(s.registry, "AccessControlUnauthorizedAccount")
        .withArgs(s.verifier.address, ROLE.REGISTRAR);
    });
  });

  describe("setProjectStatus", function () {
    for (let from = 0; from < 4; from++) {
      for (let to = 0; to < 4; to++) {
        const key = `${STATUS_NAMES[from]}>${STATUS_NAMES[to]}`;
        if (ALLOWED.has(key)) {
          it(`allows ${STATUS_NAMES[from]} → ${STATUS_NAMES[to]} and emits ProjectStatusChanged`, async function () {
            const s = await loadFixture(fixture);
            const id = await projectIn(s, from);
            await expect(s.registry.connect(s.verifier).setProjectStatus(id, to))
              .to.emit(s.registry, "ProjectStatusChanged")
              .withArgs(id, from, to);
            expect(await s.registry.statusOf(id)).to.equal(BigInt(to));
            expect((await s.registry.project(id)).status).to.equal(BigInt(to));
            expect(await s.registry.isActive(id)).to.equal(to === ProjectStatus.Active);
          });
        } else {
          it(`forbids ${STATUS_NAMES[from]} → ${STATUS_NAMES[to]} with InvalidStatusTransition`, async function () {
            const s = await loadFixture(fixture);
            const id = await projectIn(s, from);
            await expect(s.registry.connect(s.verifier).setProjectStatus(id, to))
              .to.be.revertedWithCustomError(s.registry, "InvalidStatusTransition")
              .withArgs(id, from, to);
            expect(await s.registry.statusOf(id)).to.equal(BigInt(from));
          });
        }
      }
    }

    it("reverts ProjectNotFound for id 0 and ids past the count", async function () {
      const s = await loadFixture(fixture);
      await projectIn(s, ProjectStatus.Pending);
      for (const id of [0n, 2n, 2n ** 256n - 1n]) {
        await expect(s.registry.connect(s.verifier).setProjectStatus(id, ProjectStatus.Active))
          .to.be.revertedWithCustomError(s.registry, "ProjectNotFound")
          .withArgs(id);
      }
    });

    it("reverts AccessControlUnauthorizedAccount without VERIFIER_ROLE (even for the owner)", async function () {
      const s = await loadFixture(fixture);
      const id = await projectIn(s, ProjectStatus.Pending);
      for (const who of [s.outsider, s.alice]) {
        await expect(s.registry.connect(who).setProjectStatus(id, ProjectStatus.Active))
          .to.be.revertedWithCustomError(s.registry, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, ROLE.VERIFIER);
      }
    });
  });

  describe("setMetadataURI", function () {
    it("lets the project owner update the URI and emits ProjectMetadataUpdated", async function () {
      const s = await loadFixture(fixture);
      const id = await projectIn(s, ProjectStatus.Active);
      await expect(s.registry.connect(s.alice).setMetadataURI(id, "ipfs://new"))
        .to.emit(s.registry, "ProjectMetadataUpdated")
        .withArgs(id, "ipfs://new");
      expect((await s.registry.project(id)).metadataURI).to.equal("ipfs://new");
    });

    it("lets a registrar update the URI", async function () {
      const s = await loadFixture(fixture);
      const id = await projectIn(s, ProjectStatus.Pending);
      await expect(s.registry.connect(s.deployer).setMetadataURI(id, ""))
        .to.emit(s.registry, "ProjectMetadataUpdated")
        .withArgs(id, "");
      expect((await s.registry.project(id)).metadataURI).to.equal("");
    });

    it("reverts NotProjectOwnerOrRegistrar for anyone else (including a verifier)", async function () {
      const s = await loadFixture(fixture);
      const id = await projectIn(s, ProjectStatus.Active);
      for (const who of [s.outsider, s.verifier]) {
        await expect(s.registry.connect(who).setMetadataURI(id, "ipfs://x"))
          .to.be.revertedWithCustomError(s.registry, "NotProjectOwnerOrRegistrar")
          .withArgs(id, who.address);
      }
    });

    it("caps the URI at 512 bytes and reverts ProjectNotFound for unknown ids", async function () {
      const s = await loadFixture(fixture);
      const id = await projectIn(s, ProjectStatus.Active);
      await s.registry.connect(s.alice).setMetadataURI(id, "u".repeat(512));
      await expect(s.registry.connect(s.alice).setMetadataURI(id, "u".repeat(513)))
        .to.be.revertedWithCustomError(s.registry, "FieldTooLong")
        .withArgs("metadataURI", 513, 512);
      await expect(s.registry.connect(s.alice).setMetadataURI(99n, "x"))
        .to.be.revertedWithCustomError(s.registry, "ProjectNotFound")
        .withArgs(99n);
    });
  });

  describe("views", function () {
    it("revert ProjectNotFound for unknown ids; isActive is false instead", async function () {
      const s = await loadFixture(fixture);
      for (const fn of ["project", "statusOf", "categoryOf", "nameOf", "standardOf"] as const) {
        await expect((s.registry[fn] as (id: bigint) => Promise<unknown>)(7n))
          .to.be.revertedWithCustomError(s.registry, "ProjectNotFound")
          .withArgs(7n);
      }
      expect(await s.registry.isActive(0n)).to.equal(false);
      expect(await s.registry.isActive(7n)).to.equal(false);
    });

    it("isActive follows the lifecycle", async function () {
      const s = await loadFixture(fixture);
      expect(await s.registry.isActive(await projectIn(s, ProjectStatus.Pending))).to.equal(false);
      expect(await s.registry.isActive(await projectIn(s, ProjectStatus.Active))).to.equal(true);
      expect(await s.registry.isActive(await projectIn(s, ProjectStatus.Suspended))).to.equal(false);
      expect(await s.registry.isActive(await projectIn(s, ProjectStatus.Closed))).to.equal(false);
    });

    it("isVerifier reflects VERIFIER_ROLE grants and revocations", async function () {
      const s = await loadFixture(fixture);
      expect(await s.registry.isVerifier(s.verifier.address)).to.equal(true);
      expect(await s.registry.isVerifier(s.outsider.address)).to.equal(false);
      await s.registry.grantRole(ROLE.VERIFIER, s.outsider.address);
      expect(await s.registry.isVerifier(s.outsider.address)).to.equal(true);
      await s.registry.revokeRole(ROLE.VERIFIER, s.outsider.address);
      expect(await s.registry.isVerifier(s.outsider.address)).to.equal(false);
    });

    it("exposes role constants matching the shared role ids", async function () {
      const s = await loadFixture(fixture);
      expect(await s.registry.REGISTRAR_ROLE()).to.equal(ROLE.REGISTRAR);
      expect(await s.registry.VERIFIER_ROLE()).to.equal(ROLE.VERIFIER);
    });
  });

  describe("no project twice (normalised duplicate key)", function () {
    const VARIANTS = ["vcs-612", " VCS-612 ", "VCS-612\t", "\n vcs-612", "Vcs-612\r\n"];

    for (const v of VARIANTS) {
      it(`refuses ${JSON.stringify(v)} after "VCS-612" with DuplicateProject naming the first project`, async function () {
        const s = await loadFixture(fixture);
        await s.registry.registerProject(
          projectInput(s.alice.address, { standard: "Verra VCS", externalId: "VCS-612" }),
        );
        await expect(s.registry.registerProject(projectInput(s.bob.address, { standard: "Verra VCS", externalId: v })))
          .to.be.revertedWithCustomError(s.registry, "DuplicateProject")
          .withArgs("Verra VCS", v, 1n);
        expect(await s.registry.projectCount()).to.equal(1n);
      });
    }

    it("folds case, trims and collapses inner whitespace of the standard too", async function () {
      const s = await loadFixture(fixture);
      await s.registry.registerProject(projectInput(s.alice.address, { standard: "Verra VCS", externalId: "X-1" }));
      for (const std of ["verra vcs", "  VERRA   VCS", "Verra\t\tVCS ", "verra\nvcs"]) {
        await expect(
          s.registry.registerProject(projectInput(s.bob.address, { standard: std, externalId: "x-1" })),
        ).to.be.revertedWithCustomError(s.registry, "DuplicateProject");
      }
      expect(await s.registry.projectIdOf("  VERRA vcs ", " x-1")).to.equal(1n);
    });

    it("keeps the stored strings exactly as given", async function () {
      const s = await loadFixture(fixture);
      const input = projectInput(s.alice.address, { standard: "  Gold  Standard ", externalId: " GS-7 " });
      await expect(s.registry.registerProject(input))
        .to.emit(s.registry, "ProjectRegistered")
        .withArgs(1n, s.alice.address, input.name, input.category, input.country, "  Gold  Standard ", " GS-7 ");
      const p = await s.registry.project(1n);
      expect(p.standard).to.equal("  Gold  Standard ");
      expect(p.externalId).to.equal(" GS-7 ");
      expect(await s.registry.projectIdOf("gold standard", "gs-7")).to.equal(1n);
    });

    it("still tells apart ids that differ in more than case and whitespace", async function () {
      const s = await loadFixture(fixture);
      for (const ext of ["VCS-612", "VCS-6 12", "VCS-6120", "VCS_612", "VCS-612-A"]) {
        await s.registry.registerProject(projectInput(s.alice.address, { standard: "Verra VCS", externalId: ext }));
      }
      expect(await s.registry.projectCount()).to.equal(5n);
      // only ASCII is folded: a non-ASCII capital stays distinct from its small letter
      await s.registry.registerProject(projectInput(s.alice.address, { standard: "Verra VCS", externalId: "É-1" }));
      await s.registry.registerProject(projectInput(s.alice.address, { standard: "Verra VCS", externalId: "é-1" }));
      expect(await s.registry.projectCount()).to.equal(7n);
    });

    it("treats a standard or external id of whitespace only as empty", async function () {
      const s = await loadFixture(fixture);
      await expect(
        s.registry.registerProject(projectInput(s.alice.address, { standard: " \t " })),
      ).to.be.revertedWithCustomError(s.registry, "EmptyStandard");
      await expect(
        s.registry.registerProject(projectInput(s.alice.address, { externalId: "\n" })),
      ).to.be.revertedWithCustomError(s.registry, "EmptyExternalId");
    });
  });

  describe("buffer rate", function () {
    it("is 0 by default; a verifier sets it (≤ 5,000 bps) with BufferRateSet", async function () {
      const s = await loadFixture(fixture);
      const id = await projectIn(s, ProjectStatus.Active);
      expect(await s.registry.bufferRateOf(id)).to.equal(0n);
      expect(await s.registry.MAX_BUFFER_BPS()).to.equal(5000n);
      await expect(s.registry.connect(s.verifier).setBufferRate(id, 2000))
        .to.emit(s.registry, "BufferRateSet")
        .withArgs(id, 2000);
      expect(await s.registry.bufferRateOf(id)).to.equal(2000n);
      await s.registry.connect(s.verifier).setBufferRate(id, 5000);
      expect(await s.registry.issuanceTermsOf(id)).to.deep.equal([BigInt(ProjectStatus.Active), 5000n]);
      await s.registry.connect(s.verifier).setBufferRate(id, 0);
      expect(await s.registry.bufferRateOf(id)).to.equal(0n);
    });

    it("refuses a rate above 5,000 bps with BufferRateTooHigh, state unchanged", async function () {
      const s = await loadFixture(fixture);
      const id = await projectIn(s, ProjectStatus.Pending);
      await s.registry.connect(s.verifier).setBufferRate(id, 1000);
      await expect(s.registry.connect(s.verifier).setBufferRate(id, 5001))
        .to.be.revertedWithCustomError(s.registry, "BufferRateTooHigh")
        .withArgs(5001, 5000);
      expect(await s.registry.bufferRateOf(id)).to.equal(1000n);
    });

    it("needs VERIFIER_ROLE and an existing project", async function () {
      const s = await loadFixture(fixture);
      const id = await projectIn(s, ProjectStatus.Active);
      await expect(s.registry.connect(s.alice).setBufferRate(id, 100))
        .to.be.revertedWithCustomError(s.registry, "AccessControlUnauthorizedAccount")
        .withArgs(s.alice.address, ROLE.VERIFIER);
      await expect(s.registry.connect(s.verifier).setBufferRate(99n, 100))
        .to.be.revertedWithCustomError(s.registry, "ProjectNotFound")
        .withArgs(99n);
      await expect(s.registry.bufferRateOf(99n)).to.be.revertedWithCustomError(s.registry, "ProjectNotFound");
      await expect(s.registry.issuanceTermsOf(0n)).to.be.revertedWithCustomError(s.registry, "ProjectNotFound");
    });

    it("leaves status, owner and registration time intact (packed in the same slot)", async function () {
      const s = await loadFixture(fixture);
      const id = await projectIn(s, ProjectStatus.Suspended);
      const before = await s.registry.project(id);
      await s.registry.connect(s.verifier).setBufferRate(id, 4321);
      const after = await s.registry.project(id);
      expect(after.status).to.equal(ProjectStatus.Suspended);
      expect(after.owner).to.equal(before.owner);
      expect(after.registeredAt).to.equal(before.registeredAt);
      expect(after.country).to.equal(before.country);
      expect(after.category).to.equal(before.category);
    });
  });

  describe("roles administration", function () {
    it("only the admin grants roles", async function () {
      const s = await loadFixture(fixture);
      await expect(s.registry.connect(s.outsider).grantRole(ROLE.REGISTRAR, s.outsider.address))
        .to.be.revertedWithCustomError(s.registry, "AccessControlUnauthorizedAccount")
        .withArgs(s.outsider.address, ROLE.DEFAULT_ADMIN);
    });

    it("supports the AccessControl and ERC-165 interfaces", async function () {
      const s = await loadFixture(fixture);
      expect(await s.registry.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await s.registry.supportsInterface("0x01ffc9a7")).to.equal(true); // IERC165
      expect(await s.registry.supportsInterface("0xffffffff")).to.equal(false);
    });
  });
});
