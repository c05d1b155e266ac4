import { task } from "hardhat/config";
import { action, deployed, resolveSigner, send } from "./lib/runner";
import {
  CATEGORIES,
  PROJECT_STATUSES,
  TaskInputError,
  parseAddress,
  parseChoice,
  parseCountry,
  parseUint,
} from "./lib/parse";

task(
  "project:register",
  "Registers a green project (status Pending). Needs REGISTRAR_ROLE.\n" +
    '  Example: npx hardhat project:register --network localhost --owner 0x90F79bf6EB2c4f870365E785982E1f101E93b906 --name "Kasigau Corridor REDD+" ' +
    '--category Forestry --country KE --standard "Verra VCS" --external-id VCS-612 --methodology VM0009',
)
  .addParam("owner", "project owner address (0x…)")
  .addParam("name", 'project name, e.g. "Kasigau Corridor REDD+"')
  .addParam("category", `one of ${CATEGORIES.join(", ")}`)
  .addParam("country", "ISO 3166-1 alpha-2 code, e.g. KE")
  .addParam("standard", 'certification standard, e.g. "Verra VCS" or "Gold Standard"')
  .addParam("externalId", "the project's id at the standard, e.g. VCS-612")
  .addOptionalParam("methodology", "methodology code, e.g. VM0009", "")
  .addOptionalParam("metadataUri", "off-chain metadata URI, e.g. ipfs://bafy…", "")
  .addOptionalParam("from", "signer: named account (deployer, verifier, treasury, admin), index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string>, hre) => {
      const input = {
        owner: parseAddress("owner", a.owner),
        name: a.name.trim(),
        category: parseChoice("category", a.category, CATEGORIES),
        country: parseCountry("country", a.country),
        standard: a.standard.trim(),
        externalId: a.externalId.trim(),
        methodology: a.methodology,
        metadataURI: a.metadataUri,
      };
      if (!input.name) throw new TaskInputError("--name: must not be empty");
      const signer = await resolveSigner(hre, a.from);
      const registry = await deployed(hre, "GreenProjectRegistry", signer);
      const { events } = await send(hre, `register project "${input.name}"`, registry, "registerProject", [input]);
      const ev = events.find((e) => e.name === "ProjectRegistered");
      if (ev) console.log(`project id ${ev.args.projectId}`);
    }),
  );

task(
  "project:status",
  "Shows a project, or moves it along its lifecycle with --set (VERIFIER_ROLE).\n" +
    "  Example: npx hardhat project:status --network localhost --id 1 --set Active --from verifier",
)
  .addParam("id", "project id, e.g. 1")
  .addOptionalParam("set", `new status: ${PROJECT_STATUSES.join(", ")} (omit to only show the project)`)
  .addOptionalParam("from", "signer for --set (needs VERIFIER_ROLE): named account, index or address", "deployer")
  .setAction(
    action(async (a: Record<string, string | undefined>, hre) => {
      const id = parseUint("id", a.id, { min: 1n });
      const to = a.set === undefined ? undefined : parseChoice("set", a.set, PROJECT_STATUSES);
      const registry = await deployed(hre, "GreenProjectRegistry");
      if (to !== undefined) {
        const signer = await resolveSigner(hre, a.from);
        await send(
          hre,
          `set project ${id} status to ${PROJECT_STATUSES[to]}`,
          registry.connect(signer) as typeof registry,
          "setProjectStatus",
          [id, to],
        );
      }
      const p = await registry.project(id);
      const country = Buffer.from(String(p.country).slice(2), "hex").toString("ascii");
      console.log(`project ${id}: "${p.name}"`);
      console.log(`  status      ${PROJECT_STATUSES[Number(p.status)]}`);
      console.log(`  owner       ${p.owner}`);
      console.log(`  category    ${CATEGORIES[Number(p.category)]}, country ${country}`);
      console.log(`  standard    ${p.standard} ${p.externalId} (${p.methodology || "no methodology"})`);
      console.log(`  registered  ${new Date(Number(p.registeredAt) * 1000).toISOString()}`);
      if (p.metadataURI) console.log(`  metadata    ${p.metadataURI}`);
    }),
  );
