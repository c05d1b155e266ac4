import { task } from "hardhat/config";
import { HardhatPluginError } from "hardhat/plugins";
import { PLUGIN, action, deployed, resolveSigner, send } from "./lib/runner";
import { findOverlapHint } from "../sdk/serials";
import { parseAddress, parseBytes32, parseSerialRange, parseTonnes, parseUint } from "./lib/parse";
import { tonnes } from "../scripts/lib/format";

task(
  "credits:issue",
  "Issues a credit batch (one serial per tonne) for an Active project. Needs ISSUER_ROLE.\n" +
    "  Example: npx hardhat credits:issue --network localhost --project 1 --vintage 2021 --serials 1001-3000 " +
    '--to 0x90F79bf6EB2c4f870365E785982E1f101E93b906 --attestation "ipfs://verification-report-2021" --from verifier',
)
  .addParam("project", "project id, e.g. 1")
  .addParam("vintage", "vintage year, e.g. 2021")
  .addParam("serials", "inclusive serial range, one serial per tonne, e.g. 1001-3000 (= 2,000 t)")
  .addParam("to", "recipient address (0x…)")
  .addParam("attestation", "verification report: 0x 32-byte hash, or its id/URI text (hashed with keccak256)")
  .addOptionalParam(
    "hint",
    "override of the serial hint: the id of the project's batch whose serial range lies just below the new one\n" +
      "  (0 = the new range lies below all of them); omit it and the task finds the hint itself (findOverlapHint)",
  )
  .addOptionalParam("from", "signer (needs ISSUER_ROLE): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const [serialStart, serialEnd] = parseSerialRange("serials", a.serials);
      const p = {
        projectId: parseUint("project", a.project, { min: 1n }),
        vintage: Number(parseUint("vintage", a.vintage, { min: 1900n, max: 65535n })),
        serialStart,
        serialEnd,
        to: parseAddress("to", a.to),
        attestation: parseBytes32("attestation", a.attestation),
      };
      const credit = await deployed(hre, "CarbonCredit", await resolveSigner(hre, a.from));
      let hint: bigint | undefined;
      if (a.hint !== undefined) hint = parseUint("hint", a.hint);
      else {
        const found = await findOverlapHint(credit as any, p.projectId, { serialStart, serialEnd });
        if (!found.ok) {
          const o = found.overlap;
          throw new HardhatPluginError(
            PLUGIN,
            `serials ${serialStart}-${serialEnd} overlap batch ${o.batchId} (serials ${o.serialStart}-${o.serialEnd}) of project ${p.projectId}`,
          );
        }
        if (found.method === "issueWithHint") {
          hint = found.prevBatchId;
          console.log(
            hint === 0n
              ? "serial hint: 0, the new range lies below every batch of the project (found by findOverlapHint)"
              : `serial hint: batch ${hint} lies just below (found by findOverlapHint)`,
          );
        }
      }
      const label = `issue ${tonnes((serialEnd - serialStart + 1n) * 1000n)} of project ${p.projectId} vintage ${p.vintage}`;
      const { events } = await send(
        hre,
        label,
        credit,
        hint === undefined ? "issue" : "issueWithHint",
        hint === undefined ? [p] : [p, hint],
      );
      const ev = events.find((e) => e.name === "BatchIssued");
      if (ev) console.log(`batch id ${ev.args.batchId}`);
    }),
  );

task(
  "credits:retire",
  "Retires the signer's credits of a batch (burns them) and mints a retirement certificate.\n" +
    '  Example: npx hardhat credits:retire --network localhost --batch 1 --tonnes 1.5 --beneficiary-name "Acme Airlines" ' +
    '--reason "2025 business travel" --from 4',
)
  .addParam("batch", "batch id, e.g. 1")
  .addParam("tonnes", "amount in tonnes CO2e, up to 3 decimals (1 kg), e.g. 1.5")
  .addOptionalParam("beneficiary", "certificate owner (0x…); default: the signer")
  .addOptionalParam("beneficiaryName", 'name printed on the certificate, e.g. "Acme Airlines"', "")
  .addOptionalParam("reason", 'retirement reason, e.g. "Scope 3 offset 2025"', "")
  .addOptionalParam("from", "signer (the credit holder): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const batchId = parseUint("batch", a.batch, { min: 1n });
      const kg = parseTonnes("tonnes", a.tonnes);
      const beneficiary = a.beneficiary === undefined ? undefined : parseAddress("beneficiary", a.beneficiary);
      const signer = await resolveSigner(hre, a.from);
      const holder = await signer.getAddress();
      const credit = await deployed(hre, "CarbonCredit", signer);
      const { events } = await send(hre, `retire ${tonnes(kg)} of batch ${batchId}`, credit, "retire", [
        batchId,
        kg,
        beneficiary ?? holder,
        a.beneficiaryName ?? "",
        a.reason ?? "",
      ]);
      const ev = events.find((e) => e.name === "Retired");
      if (ev) console.log(`certificate id ${ev.args.certificateId}`);
    }),
  );

task(
  "credits:batch",
  "Shows a credit batch: project, vintage, serials, issued and retired amounts (and a holder's balance).\n" +
    "  Example: npx hardhat credits:batch --network localhost --id 1 --account 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
)
  .addParam("id", "batch id, e.g. 1")
  .addOptionalParam("account", "also show this account's balance (0x…)")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const id = parseUint("id", a.id, { min: 1n });
      const account = a.account === undefined ? undefined : parseAddress("account", a.account);
      const credit = await deployed(hre, "CarbonCredit");
      const b = await credit.batch(id);
      console.log(`batch ${id}`);
      console.log(`  project      ${b.projectId}`);
      console.log(`  vintage      ${b.vintage}`);
      console.log(`  serials      ${b.serialStart}–${b.serialEnd}`);
      console.log(`  issued       ${tonnes(b.issuedKg)}`);
      console.log(`  retired      ${tonnes(b.retiredKg)}`);
      console.log(`  outstanding  ${tonnes(BigInt(b.issuedKg) - BigInt(b.retiredKg))}`);
      console.log(`  attestation  ${b.attestation}`);
      if (account) console.log(`  balance of ${account}: ${tonnes(await credit.balanceOf(account, id))}`);
    }),
  );

task(
  "credits:transfer",
  "Transfers credits of a batch from the signer to another account (ERC-1155 safeTransferFrom).\n" +
    "  Example: npx hardhat credits:transfer --network localhost --batch 1 --tonnes 25 --to 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65 --from 3",
)
  .addParam("batch", "batch id, e.g. 1")
  .addParam("tonnes", "amount in tonnes, up to 3 decimals, e.g. 25")
  .addParam("to", "recipient address (0x…)")
  .addOptionalParam("from", "signer (the credit holder): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const batchId = parseUint("batch", a.batch, { min: 1n });
      const kg = parseTonnes("tonnes", a.tonnes);
      const to = parseAddress("to", a.to);
      const signer = await resolveSigner(hre, a.from);
      const holder = await signer.getAddress();
      const credit = await deployed(hre, "CarbonCredit", signer);
      await send(hre, `transfer ${tonnes(kg)} of batch ${batchId} to ${to}`, credit, "safeTransferFrom", [
        holder,
        to,
        batchId,
        kg,
        "0x",
      ]);
      console.log(`balance of ${to}: ${tonnes(await credit.balanceOf(to, batchId))}`);
    }),
  );
