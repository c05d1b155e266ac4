import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import {
  PLUGIN,
  action,
  deployed,
  ensureAllowance,
  erc20,
  money,
  resolveAddress,
  resolveSigner,
  send,
} from "./lib/runner";
import { parseBytes32, parseDealFile, parseUint, readJsonFile } from "./lib/parse";

task(
  "escrow:create",
  "Creates a milestone escrow deal from a JSON file (the signer is the funder); --fund funds it too.\n" +
    '  File: {"projectId":1,"beneficiary":"0x…","token":"TestStablecoin","milestones":[{"amount":"10000.50",' +
    '"deadline":"2026-06-30","description":"ipfs://plan-m1"}],"verifiers":["0x…","0x…"],"threshold":2,' +
    '"arbiter":"0x…","disputeWindow":"7d"}\n' +
    "  amounts in token units (e.g. 10000.50), deadlines ISO or unix seconds, descriptions a 0x hash or text (hashed).\n" +
    "  Example: npx hardhat escrow:create --network localhost --file deal.json --fund --from 5",
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
      const input = { ...deal, token: tokenAddr };
      const total = deal.milestones.reduce((s, m) => s + m.amount, 0n);
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
      if (a.fund) {
        const t = await erc20(hre, tokenAddr, signer);
        await ensureAllowance(hre, t, signer, await escrow.getAddress(), total);
        await send(hre, `fund deal ${dealId} with ${money(total, token)}`, escrow, "fund", [dealId]);
      }
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
