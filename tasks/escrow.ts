import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import { PLUGIN, action, deployed, erc20, money, resolveAddress, resolveSigner, send } from "./lib/runner";
import { sendWithApprovals } from "./lib/approvals";
import { enumLabel } from "./lib/facts";
import { TaskInputError, parseBps, parseBytes32, parseDealFile, parseUint, readJsonFile } from "./lib/parse";
import { ZeroHash, id as keccakId } from "ethers";
import { formatBps, parseFeeBps, parseTreasury, sendAdminChanges, type AdminChange } from "./lib/governed";

task(
  "escrow:create",
  "Creates a milestone escrow deal from a JSON file (the signer is the funder); --fund funds it too.\n" +
    "  File: see examples/deal.json (projectId, beneficiary, token, milestones [{amount, deadline, description}],\n" +
    "  verifiers (each with the registry's VERIFIER_ROLE), threshold, arbiter, disputeWindow).\n" +
    "  amounts in token units (e.g. 10000.50), deadlines ISO or unix seconds, descriptions a 0x hash or text (hashed).\n" +
    "  Example: npx hardhat escrow:create --network localhost --file examples/deal.json --fund --from 5",
)
  .addParam("file", "path of the deal JSON file (see above)")
  .addFlag("fund", "also approve and fund the deal (pulls the sum of the milestones)")
  .addOptionalParam("from", "signer (the funder): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, any>, hre) => {
      const json = readJsonFile("file", a.file);
      const tokenArg = (json as any)?.token ? String((json as any).token) : "TestStablecoin";
      const tokenAddr = await resolveAddress(hre, "token", tokenArg);
      const token = await erc20(hre, tokenAddr);
      const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
      const deal = parseDealFile(json, token.decimals, now);
      const signer = await resolveSigner(hre, a.from);
      const escrow = await deployed(hre, "MilestoneEscrow", signer);
      // a verifier without the registry's VERIFIER_ROLE could never attest: refuse before sending
      const registry = await deployed(hre, "GreenProjectRegistry");
      const role = keccakId("VERIFIER_ROLE");
      const lacking: string[] = [];
      for (const v of deal.verifiers) if (!(await registry.hasRole(role, v))) lacking.push(v);
      if (lacking.length)
        throw new HardhatPluginError(
          PLUGIN,
          `deal file: verifier(s) ${lacking.join(", ")} lack VERIFIER_ROLE on GreenProjectRegistry and could never attest`,
        );
      const input = { ...deal, token: tokenAddr };
      const total = deal.milestones.reduce((s, m) => s + m.amount, 0n);
      if (a.fund) {
        // the funding's own precondition, before the deal is created (else a deal would be left unfunded)
        const funder = await signer.getAddress();
        const balance: bigint = await token.contract.balanceOf(funder);
        if (balance < total)
          throw new HardhatPluginError(
            PLUGIN,
            `create and fund a deal of ${money(total, token)}: ${funder} holds ${money(balance, token)}, needs ${money(total, token)}`,
          );
      }
      const { events } = await send(
        hre,
        `create deal for project ${deal.projectId}: ${deal.milestones.length} milestones, ${money(total, token)}`,
        escrow,
        "createDeal",
        [input],
      );
      const ev = events.find((e) => e.name === "DealCreated");
      if (!ev) return;
      const dealId = BigInt(ev.args.dealId as string);
      console.log(`deal id ${dealId}`);
      if (a.fund) await fundDeal(hre, signer, escrow, dealId);
    }),
  );

task(
  "escrow:attest",
  "Attests a milestone as a verifier of the deal (released when the threshold is reached).\n" +
    '  Example: npx hardhat escrow:attest --network localhost --deal 1 --index 0 --evidence "ipfs://site-visit-report" --from verifier',
)
  .addParam("deal", "deal id, e.g. 1")
  .addParam("index", "milestone index, from 0")
  .addParam("evidence", "evidence: 0x 32-byte hash, or its URI/text (hashed with keccak256)")
  .addOptionalParam("from", "signer (a verifier of the deal): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const dealId = parseUint("deal", a.deal, { min: 1n });
      const index = parseUint("index", a.index, { max: 31n });
      const evidence = parseBytes32("evidence", a.evidence);
      const escrow = await deployed(hre, "MilestoneEscrow", await resolveSigner(hre, a.from));
      await send(hre, `attest milestone ${index} of deal ${dealId}`, escrow, "attest", [dealId, index, evidence]);
    }),
  );

task(
  "escrow:withdraw",
  "Withdraws everything the escrow owes the signer in one token (released milestones, refunds).\n" +
    "  Example: npx hardhat escrow:withdraw --network localhost --token TestStablecoin --from 3",
)
  .addOptionalParam("token", "token: deployment name or address", "TestStablecoin")
  .addOptionalParam("from", "signer (funder or beneficiary): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const tokenAddr = await resolveAddress(hre, "token", a.token);
      const signer = await resolveSigner(hre, a.from);
      const who = await signer.getAddress();
      const escrow = await deployed(hre, "MilestoneEscrow", signer);
      const token = await erc20(hre, tokenAddr);
      const owed: bigint = await escrow.owed(who, tokenAddr);
      if (owed === 0n) throw new HardhatPluginError(PLUGIN, `the escrow owes ${who} nothing in ${token.symbol}`);
      await send(hre, `withdraw ${money(owed, token)} owed to ${who}`, escrow, "withdraw", [tokenAddr]);
    }),
  );

/** Approves and funds a deal with its total (simulated with the approval in place first). */
async function fundDeal(hre: any, signer: any, escrow: any, dealId: bigint) {
  const d = await escrow.deal(dealId);
  const token = await erc20(hre, d.token, signer);
  await sendWithApprovals(
    hre,
    signer,
    [{ kind: "erc20", token, spender: await escrow.getAddress(), amount: d.total }],
    {
      label: `fund deal ${dealId} with ${money(d.total, token)}`,
      contract: escrow,
      method: "fund",
      args: [dealId],
    },
  );
}

task(
  "escrow:fund",
  "Funds a created deal with its total (the funder); approves the escrow first.\n" +
    "  Example: npx hardhat escrow:fund --network localhost --deal 2 --from 5",
)
  .addParam("deal", "deal id, e.g. 1")
  .addOptionalParam("from", "signer (the deal's funder): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const dealId = parseUint("deal", a.deal, { min: 1n });
      const signer = await resolveSigner(hre, a.from);
      await fundDeal(hre, signer, await deployed(hre, "MilestoneEscrow", signer), dealId);
    }),
  );

task(
  "escrow:refund",
  "Refunds an expired milestone to the funder (after its deadline plus the dispute window; anyone).\n" +
    "  Then the funder takes it with escrow:withdraw.\n" +
    "  Example: npx hardhat escrow:refund --network localhost --deal 2 --index 0",
)
  .addParam("deal", "deal id, e.g. 1")
  .addParam("index", "milestone index, from 0")
  .addOptionalParam("from", "signer: named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const dealId = parseUint("deal", a.deal, { min: 1n });
      const index = parseUint("index", a.index, { max: 31n });
      const escrow = await deployed(hre, "MilestoneEscrow", await resolveSigner(hre, a.from));
      await send(hre, `refund expired milestone ${index} of deal ${dealId}`, escrow, "refundExpired", [dealId, index]);
    }),
  );

task(
  "escrow:dispute",
  "Disputes a milestone (the funder or the beneficiary, within the dispute window after its deadline).\n" +
    '  Example: npx hardhat escrow:dispute --network localhost --deal 1 --index 1 --reason "ipfs://objection" --from 5',
)
  .addParam("deal", "deal id, e.g. 1")
  .addParam("index", "milestone index, from 0")
  .addParam("reason", "reason: 0x 32-byte hash, or its URI/text (hashed with keccak256)")
  .addOptionalParam("from", "signer (funder or beneficiary): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const dealId = parseUint("deal", a.deal, { min: 1n });
      const index = parseUint("index", a.index, { max: 31n });
      const reason = parseBytes32("reason", a.reason);
      const escrow = await deployed(hre, "MilestoneEscrow", await resolveSigner(hre, a.from));
      await send(hre, `dispute milestone ${index} of deal ${dealId}`, escrow, "dispute", [dealId, index, reason]);
    }),
  );

task(
  "escrow:resolve",
  "The deal's arbiter splits a disputed milestone: --release-bps to the beneficiary, the rest to the funder.\n" +
    "  Example: npx hardhat escrow:resolve --network localhost --deal 1 --index 1 --release-bps 6000 --from 6",
)
  .addParam("deal", "deal id, e.g. 1")
  .addParam("index", "milestone index, from 0")
  .addParam("releaseBps", "share released to the beneficiary in basis points, 0..10000 (6000 = 60 %)")
  .addOptionalParam("from", "signer (the deal's arbiter): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const dealId = parseUint("deal", a.deal, { min: 1n });
      const index = parseUint("index", a.index, { max: 31n });
      const bps = parseBps("release-bps", a.releaseBps);
      const escrow = await deployed(hre, "MilestoneEscrow", await resolveSigner(hre, a.from));
      await send(
        hre,
        `resolve milestone ${index} of deal ${dealId}: ${(bps / 100).toFixed(2)} % to the beneficiary`,
        escrow,
        "resolve",
        [dealId, index, bps],
      );
    }),
  );

task(
  "escrow:cancel",
  "Cancels a deal: the funder alone before funding; after funding each party consents and the second consent\n" +
    "  cancels (locked milestones go back to the funder). --revoke withdraws the signer's consent.\n" +
    "  Example: npx hardhat escrow:cancel --network localhost --deal 2 --from 5",
)
  .addParam("deal", "deal id, e.g. 1")
  .addFlag("revoke", "withdraw the signer's standing consent instead")
  .addOptionalParam("from", "signer (funder or beneficiary): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, any>, hre) => {
      const dealId = parseUint("deal", a.deal, { min: 1n });
      const escrow = await deployed(hre, "MilestoneEscrow", await resolveSigner(hre, a.from));
      if (a.revoke) {
        await send(hre, `revoke the consent to cancel deal ${dealId}`, escrow, "revokeCancelConsent", [dealId]);
        return;
      }
      await send(hre, `cancel deal ${dealId} (or consent to cancel it)`, escrow, "cancel", [dealId]);
      const d = await escrow.deal(dealId);
      console.log(
        `deal ${dealId}: ${await enumLabel(hre, "DealStatus", d.status)}` +
          (Number(d.status) === 3
            ? ""
            : `; consents: funder ${d.funderConsentsToCancel ? "yes" : "no"}, beneficiary ${d.beneficiaryConsentsToCancel ? "yes" : "no"}`),
      );
    }),
  );

task(
  "escrow:show",
  "Shows a deal and its milestones (state, attestations, deadlines).\n" +
    "  Example: npx hardhat escrow:show --network localhost --deal 1",
)
  .addParam("deal", "deal id, e.g. 1")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const dealId = parseUint("deal", a.deal, { min: 1n });
      const escrow = await deployed(hre, "MilestoneEscrow");
      const d = await escrow.deal(dealId);
      if (Number(d.status) === 0) throw new HardhatPluginError(PLUGIN, `no deal ${dealId}`);
      const token = await erc20(hre, d.token);
      console.log(
        `deal ${dealId}: ${await enumLabel(hre, "DealStatus", d.status)}, project ${d.projectId}, ${money(d.total, token)}`,
      );
      console.log(`  funder ${d.funder}, beneficiary ${d.beneficiary}, arbiter ${d.arbiter}`);
      console.log(
        `  threshold ${d.threshold} of ${d.verifierCount}, dispute window ${d.disputeWindow} s, fee ${d.feeBps} bps`,
      );
      for (let i = 0; i < Number(d.milestoneCount); i++) {
        const m = await escrow.milestone(dealId, i);
        console.log(
          `  milestone ${i}: ${money(m.amount, token)}, deadline ${new Date(Number(m.deadline) * 1000).toISOString()}, ` +
            `${await enumLabel(hre, "MilestoneState", m.state)}, ${m.attestations} attestation(s)`,
        );
      }
    }),
  );

task(
  "escrow:fee",
  "Sets the escrow's platform fee (bps, for deals created from now on; at most MAX_FEE_BPS) and/or its treasury.\n" +
    "  Needs DEFAULT_ADMIN_ROLE: where the TreelionTimelock holds it (public networks) the task refuses, sends\n" +
    "  nothing and prints the gov:schedule command(s) instead.\n" +
    "  Example: npx hardhat escrow:fee --network localhost --bps 150 --treasury treasury",
)
  .addOptionalParam("bps", "fee in basis points (100 = 1 %), e.g. 150")
  .addOptionalParam("treasury", "fee recipient of future releases: address or named account")
  .addOptionalParam("from", "signer (the admin): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      if (a.bps === undefined && a.treasury === undefined)
        throw new TaskInputError("give --bps, --treasury or both (nothing to change)");
      const escrow = await deployed(hre, "MilestoneEscrow", await resolveSigner(hre, a.from));
      const [curBps, curTreasury] = await Promise.all([escrow.feeBps(), escrow.treasury()]);
      const changes: AdminChange[] = [];
      if (a.bps !== undefined) {
        const bps = await parseFeeBps(escrow, "bps", a.bps);
        if (Number(curBps) !== bps)
          changes.push({
            label: `set the MilestoneEscrow fee to ${formatBps(bps)} (was ${formatBps(curBps)}) for new deals`,
            method: "setFeeBps",
            args: [bps],
            call: `setFeeBps(${bps})`,
          });
      }
      if (a.treasury !== undefined) {
        const treasury = await parseTreasury(hre, escrow, "treasury", a.treasury);
        if (treasury !== curTreasury)
          changes.push({
            label: `set the MilestoneEscrow treasury to ${treasury} (was ${curTreasury})`,
            method: "setTreasury",
            args: [treasury],
            call: `setTreasury(${treasury})`,
          });
      }
      if (changes.length === 0) {
        console.log(`MilestoneEscrow: fee ${formatBps(curBps)}, treasury ${curTreasury} already: nothing to do`);
        return;
      }
      await sendAdminChanges(hre, escrow, "MilestoneEscrow", ZeroHash, changes);
    }),
  );
