/**
 * Foundation: GreenProjectRegistry, CarbonCredit, RetirementCertificate, and the local test stablecoin.
 *
 * Seeded state (ids in w.ids): project (Active, owner alice), pendingProject (Pending), suspendedProject
 * (Suspended, after batch suspendedBatch was issued to alice); batch (project, serials 1–10, 10 t to alice),
 * batch2 (project, serials 11–20, to bob); certificate (alice retired 1 t of batch). tUSD: alice, bob and
 * carol hold 1,000,000 each.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Area, BadCase, World } from "../types";
import { MAX, ZERO, accessControlSpecs, pauseSpecs, erc20Specs, text } from "../common";
import { projectInput } from "../../suite";
import { impersonateBuffer } from "./05-buffer";

const ATT = ethers.id("verification-report");
const issueP = (w: World, o: Record<string, unknown> = {}) => ({
  projectId: w.ids.project,
  vintage: 2020,
  serialStart: 21n,
  serialEnd: 30n,
  to: w.alice.address,
  attestation: ATT,
  ...o,
});
const reg = (w: World) => w.contracts.GreenProjectRegistry;
const credit = (w: World) => w.contracts.CarbonCredit;

async function send(p: Promise<any>) {
  return (await p).wait();
}

/** Bad inputs shared by issue and issueWithHint (second argument appended for issueWithHint). */
function issueCases(hint: bigint[] = []): BadCase[] {
  const v = (w: World) => w.verifier;
  const a = (o: (w: World) => Record<string, unknown>) => (w: World) => [issueP(w, o(w)), ...hint];
  return [
    {
      kind: "zero address",
      what: "to = 0",
      signer: v,
      args: a(() => ({ to: ZERO })),
      error: "InvalidRecipient",
      errorArgs: () => [ZERO],
    },
    {
      kind: "invalid value",
      what: "attestation = 0",
      signer: v,
      args: a(() => ({ attestation: ethers.ZeroHash })),
      error: "MissingAttestation",
    },
    {
      kind: "invalid value",
      what: "serialStart > serialEnd",
      signer: v,
      args: a(() => ({ serialStart: 40n, serialEnd: 39n })),
      error: "InvalidSerialRange",
      errorArgs: () => [40n, 39n],
    },
    {
      kind: "invalid value",
      what: "vintage before 1990",
      signer: v,
      args: a(() => ({ vintage: 1989 })),
      error: "InvalidVintage",
    },
    {
      kind: "deadline",
      what: "vintage in the future",
      signer: v,
      args: a((w) => ({ vintage: w.ids.nextYear })),
      error: "InvalidVintage",
    },
    {
      kind: "unknown id",
      what: "unknown project",
      signer: v,
      args: a(() => ({ projectId: 999n })),
      error: "ProjectNotFound",
      errorArgs: () => [999n],
    },
    {
      kind: "wrong state",
      what: "Pending project",
      signer: v,
      args: a((w) => ({ projectId: w.ids.pendingProject })),
      error: "ProjectNotActive",
    },
    {
      kind: "wrong state",
      what: "Suspended project",
      signer: v,
      args: a((w) => ({ projectId: w.ids.suspendedProject, serialStart: 100n, serialEnd: 101n })),
      error: "ProjectNotActive",
    },
    {
      kind: "invalid value",
      what: "range overlaps an earlier batch",
      signer: v,
      args: a(() => ({ serialStart: 5n, serialEnd: 25n })),
      error: "SerialRangeOverlap",
    },
    {
      kind: "wrong state",
      what: "project owing an avoidable reversal (buffer area)",
      signer: v,
      args: a((w) => ({ projectId: w.ids.bufferProject, serialStart: 1000n, serialEnd: 1001n })),
      error: "ReversalOutstanding",
      errorArgs: (w) => [w.ids.bufferProject, w.ids.owingReversal],
    },
  ];
}

function retireCases(signerFn: (w: World) => any, prefix: (w: World) => unknown[]): BadCase[] {
  return [
    {
      kind: "zero amount",
      what: "amount = 0",
      signer: signerFn,
      args: (w) => [...prefix(w), w.ids.batch, 0n, ZERO, "", ""],
      error: "ZeroAmount",
    },
    {
      kind: "max amount",
      what: "amount = max uint",
      signer: signerFn,
      args: (w) => [...prefix(w), w.ids.batch, MAX, ZERO, "", ""],
      error: "ERC1155InsufficientBalance",
    },
    {
      kind: "unknown id",
      what: "unknown batch",
      signer: signerFn,
      args: (w) => [...prefix(w), 999n, 1n, ZERO, "", ""],
      error: "BatchNotFound",
      errorArgs: () => [999n],
    },
    {
      kind: "oversized string",
      what: "beneficiary name of 257 bytes",
      signer: signerFn,
      args: (w) => [...prefix(w), w.ids.batch, 1n, ZERO, text(257), ""],
      error: "BeneficiaryNameTooLong",
      errorArgs: () => [257n, 256n],
    },
    {
      kind: "oversized string",
      what: "reason of 257 bytes",
      signer: signerFn,
      args: (w) => [...prefix(w), w.ids.batch, 1n, ZERO, "", text(257)],
      error: "ReasonTooLong",
      errorArgs: () => [257n, 256n],
    },
    {
      kind: "wrong state",
      what: "batch of a Suspended project",
      signer: signerFn,
      args: (w) => [...prefix(w), w.ids.suspendedBatch, 1n, ZERO, "", ""],
      error: "ProjectNotActive",
    },
  ];
}

const area: Area = {
  name: "foundation",
  deployments: ["GreenProjectRegistry", "CarbonCredit", "RetirementCertificate"],

  async setup(w) {
    const r = reg(w).connect(w.deployer) as any;
    const rv = reg(w).connect(w.verifier) as any;
    const c = credit(w).connect(w.verifier) as any;
    const register = async (owner: string) => {
      const input = projectInput(owner);
      const id = await r.registerProject.staticCall(input);
      await send(r.registerProject(input));
      return { id: id as bigint, input };
    };
    const a = await register(w.alice.address);
    await send(rv.setProjectStatus(a.id, 1));
    w.ids.project = a.id;
    w.data.projectInput = a.input;
    w.ids.pendingProject = (await register(w.alice.address)).id;
    const s = await register(w.alice.address);
    await send(rv.setProjectStatus(s.id, 1));
    w.ids.suspendedProject = s.id;

    const issue = async (p: Record<string, unknown>) => {
      const id = await c.issue.staticCall(p);
      await send(c.issue(p));
      return id as bigint;
    };
    w.ids.batch = await issue(issueP(w, { serialStart: 1n, serialEnd: 10n }));
    w.ids.batch2 = await issue(issueP(w, { serialStart: 11n, serialEnd: 20n, to: w.bob.address }));
    w.ids.suspendedBatch = await issue(issueP(w, { projectId: s.id, serialStart: 1n, serialEnd: 5n }));
    await send(rv.setProjectStatus(s.id, 2));
    const ca = credit(w).connect(w.alice) as any;
    w.ids.certificate = await ca.retire.staticCall(w.ids.batch, 1000n, ZERO, "Alice", "seed");
    await send(ca.retire(w.ids.batch, 1000n, ZERO, "Alice", "seed"));
    w.ids.nextYear = BigInt(new Date((await time.latest()) * 1000).getUTCFullYear() + 1);

    const usd = w.contracts.TestStablecoin;
    if (usd) {
      for (const who of [w.alice, w.bob, w.carol])
        await send((usd.connect(who) as any).mint(who.address, 1_000_000n * 10n ** 6n));
    }
    // a well-formed signature that recovers to neither alice nor bob (see common.forged)
    w.data.forgedSignature = ethers.Signature.from(await w.carol.signMessage("not a permit"));
    w.probeIds = [0n, 1n, 2n, 3n, 4n, 5n];
  },

  specs: {
    GreenProjectRegistry: {
      functions: {
        ...accessControlSpecs(),
        registerProject: {
          access: { role: "REGISTRAR" },
          bad: (() => {
            const d = (w: World) => w.deployer;
            const a = (o: (w: World) => Record<string, unknown>) => (w: World) => [projectInput(w.alice.address, o(w))];
            const long = (field: string, n: number, max: number): BadCase => ({
              kind: "oversized string",
              what: `${field} of ${n} bytes`,
              signer: d,
              args: a(() => ({ [field]: text(n) })),
              error: "FieldTooLong",
              errorArgs: () => [field, BigInt(n), BigInt(max)],
            });
            return [
              {
                kind: "zero address",
                what: "owner = 0",
                signer: d,
                args: a(() => ({ owner: ZERO })),
                error: "ZeroAddress",
                errorArgs: () => ["owner"],
              },
              {
                kind: "empty string",
                what: "empty name",
                signer: d,
                args: a(() => ({ name: "" })),
                error: "EmptyName",
              },
              {
                kind: "empty string",
                what: "empty standard",
                signer: d,
                args: a(() => ({ standard: "" })),
                error: "EmptyStandard",
              },
              {
                kind: "empty string",
                what: "empty external id",
                signer: d,
                args: a(() => ({ externalId: "" })),
                error: "EmptyExternalId",
              },
              long("name", 129, 128),
              long("standard", 65, 64),
              long("externalId", 65, 64),
              long("methodology", 129, 128),
              long("metadataURI", 513, 512),
              {
                kind: "invalid value",
                what: "country 0x0000",
                signer: d,
                args: a(() => ({ country: "0x0000" })),
                error: "InvalidCountry",
              },
              {
                kind: "invalid value",
                what: "lower-case country",
                signer: d,
                args: a(() => ({ country: "0x6b65" })),
                error: "InvalidCountry",
              },
              {
                kind: "invalid value",
                what: "duplicate (standard, external id)",
                signer: d,
                args: (w) => [{ ...w.data.projectInput, name: "Other" }],
                error: "DuplicateProject",
              },
              {
                kind: "invalid value",
                what: "duplicate up to case and surrounding whitespace",
                signer: d,
                args: (w) => [
                  {
                    ...w.data.projectInput,
                    name: "Other",
                    standard: ` ${String(w.data.projectInput.standard).toUpperCase()}\t`,
                    externalId: `  ${String(w.data.projectInput.externalId).toLowerCase()} `,
                  },
                ],
                error: "DuplicateProject",
              },
              {
                kind: "empty string",
                what: "standard of whitespace only",
                signer: d,
                args: a(() => ({ standard: " \t " })),
                error: "EmptyStandard",
              },
            ];
          })(),
        },
        setProjectStatus: {
          access: { role: "VERIFIER" },
          bad: [
            {
              kind: "unknown id",
              what: "unknown project",
              signer: (w) => w.verifier,
              args: () => [999n, 1],
              error: "ProjectNotFound",
              errorArgs: () => [999n],
            },
            {
              kind: "unknown id",
              what: "project id 0",
              signer: (w) => w.verifier,
              args: () => [0n, 1],
              error: "ProjectNotFound",
              errorArgs: () => [0n],
            },
            {
              kind: "wrong state",
              what: "Pending → Suspended",
              signer: (w) => w.verifier,
              args: (w) => [w.ids.pendingProject, 2],
              error: "InvalidStatusTransition",
            },
            {
              kind: "wrong state",
              what: "Active → Pending",
              signer: (w) => w.verifier,
              args: (w) => [w.ids.project, 0],
              error: "InvalidStatusTransition",
            },
            {
              kind: "wrong state",
              what: "Active → Active",
              signer: (w) => w.verifier,
              args: (w) => [w.ids.project, 1],
              error: "InvalidStatusTransition",
            },
          ],
        },
        setBufferRate: {
          access: { role: "VERIFIER" },
          bad: [
            {
              kind: "invalid value",
              what: "rate above 5,000 bps",
              signer: (w) => w.verifier,
              args: (w) => [w.ids.project, 5001],
              error: "BufferRateTooHigh",
              errorArgs: () => [5001n, 5000n],
            },
            {
              kind: "unknown id",
              what: "unknown project",
              signer: (w) => w.verifier,
              args: () => [999n, 100],
              error: "ProjectNotFound",
              errorArgs: () => [999n],
            },
          ],
        },
        setMetadataURI: {
          access: { auth: "NotProjectOwnerOrRegistrar", args: (w) => [w.ids.project, "ipfs://hijack"] },
          bad: [
            {
              kind: "unknown id",
              what: "unknown project",
              signer: (w) => w.alice,
              args: () => [999n, "x"],
              error: "ProjectNotFound",
            },
            {
              kind: "oversized string",
              what: "URI of 513 bytes",
              signer: (w) => w.alice,
              args: (w) => [w.ids.project, text(513)],
              error: "FieldTooLong",
              errorArgs: () => ["metadataURI", 513n, 512n],
            },
          ],
        },
      },
    },

    CarbonCredit: {
      pauser: (w) => w.deployer,
      functions: {
        ...accessControlSpecs(),
        issue: {
          access: { role: "ISSUER" },
          pause: { stops: { signer: (w) => w.verifier, args: (w) => [issueP(w)] } },
          bad: [
            ...issueCases(),
            {
              kind: "invalid value",
              what: "range below the highest (needs a hint)",
              signer: (w) => w.verifier,
              args: (w) => [issueP(w, { serialStart: 0n, serialEnd: 0n })],
              error: "SerialRangeHintRequired",
            },
          ],
        },
        issueWithHint: {
          access: { role: "ISSUER" },
          pause: {
            stops: { signer: (w) => w.verifier, args: (w) => [issueP(w, { serialStart: 0n, serialEnd: 0n }), 0n] },
          },
          bad: [
            ...issueCases([0n]).filter((c) => c.what !== "range overlaps an earlier batch"),
            {
              kind: "invalid value",
              what: "range overlaps the hint",
              signer: (w) => w.verifier,
              args: (w) => [issueP(w, { serialStart: 5n, serialEnd: 25n }), w.ids.batch],
              error: "SerialRangeOverlap",
            },
            {
              kind: "unknown id",
              what: "unknown hint batch",
              signer: (w) => w.verifier,
              args: (w) => [issueP(w), 999n],
              error: "InvalidSerialHint",
            },
            {
              kind: "invalid value",
              what: "hint of another project",
              signer: (w) => w.verifier,
              args: (w) => [issueP(w), w.ids.suspendedBatch],
              error: "InvalidSerialHint",
            },
            {
              kind: "invalid value",
              what: "hint lies above the range",
              signer: (w) => w.verifier,
              args: (w) => [issueP(w, { serialStart: 0n, serialEnd: 0n }), w.ids.batch2],
              error: "InvalidSerialHint",
            },
          ],
        },
        retire: {
          access: { open: "burns the caller's own credits (a stranger holds none: ERC1155InsufficientBalance)" },
          pause: { stops: { signer: (w) => w.alice, args: (w) => [w.ids.batch, 100n, ZERO, "Alice", "offset"] } },
          bad: retireCases(
            (w) => w.alice,
            () => [],
          ),
        },
        retireFrom: {
          access: {
            auth: "ERC1155MissingApprovalForAll",
            args: (w) => [w.alice.address, w.ids.batch, 1n, ZERO, "", ""],
          },
          pause: { stops: { signer: (w) => w.alice, args: (w) => [w.alice.address, w.ids.batch, 100n, ZERO, "", ""] } },
          bad: retireCases(
            (w) => w.alice,
            (w) => [w.alice.address],
          ),
        },
        retireBatch: {
          access: { open: "burns the caller's own credits" },
          pause: { stops: { signer: (w) => w.alice, args: (w) => [[w.ids.batch], [100n], ZERO, "", ""] } },
          bad: [
            {
              kind: "empty array",
              what: "no batches",
              signer: (w) => w.alice,
              args: () => [[], [], ZERO, "", ""],
              error: "InvalidBatchCount",
              errorArgs: () => [0n, 20n],
            },
            {
              kind: "oversized array",
              what: "21 batches",
              signer: (w) => w.alice,
              args: (w) => [Array(21).fill(w.ids.batch), Array(21).fill(1n), ZERO, "", ""],
              error: "InvalidBatchCount",
              errorArgs: () => [21n, 20n],
            },
            {
              kind: "invalid value",
              what: "array lengths differ",
              signer: (w) => w.alice,
              args: (w) => [[w.ids.batch], [1n, 1n], ZERO, "", ""],
              error: "ArrayLengthMismatch",
            },
            {
              kind: "zero amount",
              what: "an amount = 0",
              signer: (w) => w.alice,
              args: (w) => [[w.ids.batch], [0n], ZERO, "", ""],
              error: "ZeroAmount",
            },
            {
              kind: "max amount",
              what: "amount = max uint",
              signer: (w) => w.alice,
              args: (w) => [[w.ids.batch], [MAX], ZERO, "", ""],
              error: "ERC1155InsufficientBalance",
            },
            {
              kind: "overflow",
              what: "amounts summing past 2^256",
              signer: (w) => w.alice,
              args: (w) => [[w.ids.batch, w.ids.batch], [MAX, MAX], ZERO, "", ""],
              error: "ERC1155InsufficientBalance",
            },
            {
              kind: "unknown id",
              what: "unknown batch",
              signer: (w) => w.alice,
              args: () => [[999n], [1n], ZERO, "", ""],
              error: "BatchNotFound",
            },
            {
              kind: "oversized string",
              what: "reason of 257 bytes",
              signer: (w) => w.alice,
              args: (w) => [[w.ids.batch], [1n], ZERO, "", text(257)],
              error: "ReasonTooLong",
            },
            {
              kind: "wrong state",
              what: "batch of a Suspended project",
              signer: (w) => w.alice,
              args: (w) => [[w.ids.suspendedBatch], [1n], ZERO, "", ""],
              error: "ProjectNotActive",
            },
          ],
        },
        safeTransferFrom: {
          access: {
            auth: "ERC1155MissingApprovalForAll",
            args: (w) => [w.alice.address, w.stranger.address, w.ids.batch, 1n, "0x"],
          },
          pause: {
            stops: { signer: (w) => w.alice, args: (w) => [w.alice.address, w.bob.address, w.ids.batch, 100n, "0x"] },
          },
          bad: [
            {
              kind: "zero address",
              what: "to = 0",
              signer: (w) => w.alice,
              args: (w) => [w.alice.address, ZERO, w.ids.batch, 1n, "0x"],
              error: "ERC1155InvalidReceiver",
              errorArgs: () => [ZERO],
            },
            {
              kind: "max amount",
              what: "amount = max uint",
              signer: (w) => w.alice,
              args: (w) => [w.alice.address, w.bob.address, w.ids.batch, MAX, "0x"],
              error: "ERC1155InsufficientBalance",
            },
            {
              kind: "unknown id",
              what: "unknown batch",
              signer: (w) => w.alice,
              args: (w) => [w.alice.address, w.bob.address, 999n, 1n, "0x"],
              error: "ERC1155InsufficientBalance",
            },
            {
              kind: "invalid value",
              what: "to a contract that is not a receiver",
              signer: (w) => w.alice,
              args: (w) => [w.alice.address, w.contracts.GreenProjectRegistry.target, w.ids.batch, 1n, "0x"],
              error: "ERC1155InvalidReceiver",
            },
          ],
        },
        safeBatchTransferFrom: {
          access: {
            auth: "ERC1155MissingApprovalForAll",
            args: (w) => [w.alice.address, w.stranger.address, [w.ids.batch], [1n], "0x"],
          },
          pause: {
            stops: {
              signer: (w) => w.alice,
              args: (w) => [w.alice.address, w.bob.address, [w.ids.batch], [100n], "0x"],
            },
          },
          bad: [
            {
              kind: "zero address",
              what: "to = 0",
              signer: (w) => w.alice,
              args: (w) => [w.alice.address, ZERO, [w.ids.batch], [1n], "0x"],
              error: "ERC1155InvalidReceiver",
            },
            {
              kind: "invalid value",
              what: "array lengths differ",
              signer: (w) => w.alice,
              args: (w) => [w.alice.address, w.bob.address, [w.ids.batch], [1n, 2n], "0x"],
              error: "ERC1155InvalidArrayLength",
            },
            {
              kind: "max amount",
              what: "amount = max uint",
              signer: (w) => w.alice,
              args: (w) => [w.alice.address, w.bob.address, [w.ids.batch], [MAX], "0x"],
              error: "ERC1155InsufficientBalance",
            },
          ],
        },
        setApprovalForAll: {
          access: { open: "sets the caller's own operator approval" },
          pause: { free: "an approval moves no credit" },
          bad: [
            {
              kind: "zero address",
              what: "operator = 0",
              signer: (w) => w.alice,
              args: () => [ZERO, true],
              error: "ERC1155InvalidOperator",
              errorArgs: () => [ZERO],
            },
          ],
        },
        setBufferPool: {
          access: { role: "DEFAULT_ADMIN" },
          pause: { free: "wiring moves no credit" },
          bad: [
            {
              kind: "wrong state",
              what: "BufferPool already wired",
              signer: (w) => w.deployer,
              args: (w) => [w.stranger.address],
              error: "BufferPoolAlreadySet",
              errorArgs: (w) => [w.contracts.BufferPool.target],
            },
          ],
        },
        cancel: {
          access: { auth: "NotBufferPool", args: (w) => [w.ids.batch, 1n, ethers.id("x")] },
          pause: {
            stops: {
              before: impersonateBuffer,
              signer: (w) => w.data.bufferSigner,
              args: (w) => [w.ids.bufferBatch + 22n, 100n, ethers.id("fire-report")],
            },
          },
          bad: [
            {
              kind: "zero amount",
              what: "amount = 0",
              before: impersonateBuffer,
              signer: (w) => w.data.bufferSigner,
              args: (w) => [w.ids.bufferBatch + 22n, 0n, ethers.id("x")],
              error: "ZeroAmount",
            },
            {
              kind: "max amount",
              what: "more than the buffer holds",
              before: impersonateBuffer,
              signer: (w) => w.data.bufferSigner,
              args: (w) => [w.ids.bufferBatch + 22n, MAX, ethers.id("x")],
              error: "ERC1155InsufficientBalance",
            },
            {
              kind: "unknown id",
              what: "unknown batch",
              before: impersonateBuffer,
              signer: (w) => w.data.bufferSigner,
              args: () => [999n, 1n, ethers.id("x")],
              error: "BatchNotFound",
              errorArgs: () => [999n],
            },
          ],
        },
        setOutstandingReversal: {
          access: { auth: "NotBufferPool", args: (w) => [w.ids.project, 1n] },
          pause: { free: "a mark read by issuance; moves no credit" },
          bad: [
            {
              kind: "overflow",
              what: "reversal id above 2^48",
              before: impersonateBuffer,
              signer: (w) => w.data.bufferSigner,
              args: (w) => [w.ids.project, 2n ** 48n],
              error: "SafeCastOverflowedUintDowncast",
            },
          ],
        },
        setLabels: {
          access: { role: "ISSUER" },
          pause: { free: "metadata: moves no credit" },
          bad: [
            {
              kind: "invalid value",
              what: "an unknown label bit",
              signer: (w) => w.verifier,
              args: (w) => [w.ids.batch, 16],
              error: "UnknownLabels",
              errorArgs: () => [16n],
            },
            {
              kind: "unknown id",
              what: "unknown batch",
              signer: (w) => w.verifier,
              args: () => [999n, 1],
              error: "BatchNotFound",
            },
          ],
        },
        ...pauseSpecs(),
      },
    },

    RetirementCertificate: {
      functions: {
        ...accessControlSpecs(),
        setMinter: {
          access: { role: "DEFAULT_ADMIN" },
          bad: [
            {
              kind: "wrong state",
              what: "minter already set",
              signer: (w) => w.deployer,
              args: (w) => [w.stranger.address],
              error: "MinterAlreadySet",
            },
          ],
        },
        mint: {
          access: { auth: "NotMinter", args: (w) => [w.stranger.address, w.stranger.address, w.ids.batch, 1n, "", ""] },
          bad: { none: "only CarbonCredit may call it, after validating every input (see CarbonCredit.retire cases)" },
        },
        mintMulti: {
          access: {
            auth: "NotMinter",
            args: (w) => [w.stranger.address, w.stranger.address, [w.ids.batch], 1n, "", ""],
          },
          bad: {
            none: "only CarbonCredit may call it, after validating every input (see CarbonCredit.retireBatch cases)",
          },
        },
        // approve / setApprovalForAll are overridden as `pure` (always revert), so they are not state-changing
        transferFrom: {
          access: {
            disabled: "CertificateNonTransferable",
            args: (w) => [w.alice.address, w.stranger.address, w.ids.certificate],
          },
          bad: { none: "always reverts: certificates are soulbound" },
        },
        "safeTransferFrom(address,address,uint256)": {
          access: {
            disabled: "CertificateNonTransferable",
            args: (w) => [w.alice.address, w.stranger.address, w.ids.certificate],
          },
          bad: { none: "always reverts: certificates are soulbound" },
        },
        "safeTransferFrom(address,address,uint256,bytes)": {
          access: {
            disabled: "CertificateNonTransferable",
            args: (w) => [w.alice.address, w.stranger.address, w.ids.certificate, "0x"],
          },
          bad: { none: "always reverts: certificates are soulbound" },
        },
      },
    },

    TestStablecoin: {
      functions: {
        mint: {
          access: { open: "test token (local networks only): open mint" },
          bad: [
            {
              kind: "zero address",
              what: "to = 0",
              signer: (w) => w.alice,
              args: () => [ZERO, 1n],
              error: "ERC20InvalidReceiver",
              errorArgs: () => [ZERO],
            },
          ],
        },
        ...erc20Specs("TestStablecoin", (w) => w.alice, false),
      },
    },
  },
};

export default area;
