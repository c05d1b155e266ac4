import { task } from "hardhat/config";
import { action, deployed, resolveSigner, send } from "./lib/runner";
import { TaskInputError, parseAddress, parseCountry, parseDate } from "./lib/parse";

const countryText = (hex: string) => Buffer.from(String(hex).slice(2), "hex").toString("ascii");

task(
  "compliance:investor",
  "Shows an investor's record, or sets it (--set, COMPLIANCE_ROLE): verified flag, country and expiry.\n" +
    "  --block-country / --unblock-country blocks or unblocks a country for every bond.\n" +
    "  Example (set):   npx hardhat compliance:investor --network localhost --account 0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f --set --country KE --expires 2099-01-01\n" +
    "  Example (show):  npx hardhat compliance:investor --network localhost --account 0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f\n" +
    "  Example (block): npx hardhat compliance:investor --network localhost --block-country KP",
)
  .addOptionalParam("account", "the investor (0x…)")
  .addFlag("set", "write the record (with --country and --expires); --revoke marks it not verified")
  .addFlag("revoke", "with --set: mark the investor as not verified")
  .addOptionalParam("country", "with --set: ISO 3166-1 alpha-2 country of the investor, e.g. KE")
  .addOptionalParam("expires", "with --set: when the verification expires (ISO date or unix seconds), e.g. 2099-01-01")
  .addOptionalParam("blockCountry", "block a country for every bond, e.g. KP (COMPLIANCE_ROLE)")
  .addOptionalParam("unblockCountry", "unblock a country, e.g. KP (COMPLIANCE_ROLE)")
  .addOptionalParam("from", "signer for changes (COMPLIANCE_ROLE): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, any>, hre) => {
      const block = a.blockCountry ?? a.unblockCountry;
      if (a.blockCountry !== undefined && a.unblockCountry !== undefined)
        throw new TaskInputError("give either --block-country or --unblock-country, not both");
      if (block === undefined && a.account === undefined)
        throw new TaskInputError("--account is required (or --block-country / --unblock-country)");
      const account = a.account === undefined ? undefined : parseAddress("account", a.account);
      let set: { country: string; expires: bigint } | undefined;
      if (a.set) {
        if (!account) throw new TaskInputError("--set needs --account");
        const country = parseCountry("country", a.country);
        const expires = parseDate("expires", a.expires);
        set = { country, expires };
      } else if (a.country !== undefined || a.expires !== undefined || a.revoke)
        throw new TaskInputError("--country, --expires and --revoke go with --set");
      const country =
        block === undefined ? undefined : parseCountry(a.blockCountry ? "block-country" : "unblock-country", block);
      const reader = await deployed(hre, "ComplianceRegistry");
      if (set || country) {
        const signer = await resolveSigner(hre, a.from);
        const registry = reader.connect(signer) as typeof reader;
        if (set) {
          await send(
            hre,
            `${a.revoke ? "unverify" : "verify"} investor ${account} (country=${countryText(set.country)}, expires ${new Date(Number(set.expires) * 1000).toISOString()})`,
            registry,
            "setInvestor",
            [account, !a.revoke, set.country, set.expires],
          );
        }
        if (country) {
          const blocked = a.blockCountry !== undefined;
          await send(
            hre,
            `${blocked ? "block" : "unblock"} country ${countryText(country)}`,
            registry,
            "blockCountry",
            [country, blocked],
          );
        }
      }
      if (account) {
        const r = await reader.investor(account);
        const eligible = await reader.isEligible(account);
        console.log(`investor ${account}`);
        console.log(`  verified  ${r.verified}`);
        console.log(`  country   ${BigInt(r.country) === 0n ? "—" : countryText(r.country)}`);
        console.log(`  expires   ${r.expiresAt === 0n ? "—" : new Date(Number(r.expiresAt) * 1000).toISOString()}`);
        console.log(`  eligible  ${eligible}`);
      }
      if (country) console.log(`country ${countryText(country)} blocked: ${await reader.isCountryBlocked(country)}`);
    }),
  );
