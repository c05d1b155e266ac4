import { ethers } from "ethers";
import type { Act } from "../context";
import { decodeError } from "../../../sdk/errors";
import type { GreenProjectRegistry } from "../../../typechain-types";
import { Category, ProjectStatus, enumName } from "../../../sdk";

/** Projects are registered by the registrar and activated by an independent verifier. */
const act: Act = {
  title: "Projects and verification",
  async run(ctx) {
    const registry = await ctx.contract<GreenProjectRegistry>("GreenProjectRegistry");
    const projects = [
      {
        key: "forest",
        name: "Kasigau Corridor REDD+",
        category: Category.Forestry,
        country: "KE",
        standard: "Verra VCS",
        externalId: "VCS-612",
        methodology: "VM0009",
      },
      {
        key: "mangrove",
        name: "Sundarbans Mangrove Restoration",
        category: Category.BlueCarbon,
        country: "BD",
        standard: "Gold Standard",
        externalId: "GS-11021",
        methodology: "AR-AMS0003",
      },
      {
        key: "dac",
        name: "Orca Direct Air Capture",
        category: Category.CarbonRemoval,
        country: "IS",
        standard: "Puro.earth",
        externalId: "PURO-77",
        methodology: "Geologically stored carbon",
      },
    ];
    ctx.state.projects = {};
    for (const p of projects) {
      const input = {
        owner: ctx.cast.developer.address,
        name: p.name,
        category: p.category,
        country: ethers.hexlify(ethers.toUtf8Bytes(p.country)),
        standard: p.standard,
        externalId: p.externalId,
        methodology: p.methodology,
        metadataURI: `ipfs://treelion-demo/${p.key}.json`,
      };
      // a second run on the same node reuses the projects of the first (DuplicateProject names the existing id)
      const existing = await registry.registerProject.staticCall(input).then(
        () => 0n,
        (err) => {
          const e = decodeError(err);
          if (e?.name !== "DuplicateProject") throw err;
          return BigInt(e.args[2] as bigint);
        },
      );
      let id = existing;
      if (existing === 0n) {
        const rc = await ctx.send(`register ${p.name}`, registry.registerProject(input));
        id = BigInt(ctx.event(rc, "ProjectRegistered").args.projectId as string);
      } else ctx.print(`  ${p.name} is already registered as project ${id}: reused`);
      ctx.state.projects[p.key] = id;
      if (Number(await registry.statusOf(id)) !== ProjectStatus.Active)
        await ctx.send(
          `activate ${p.name}`,
          registry.connect(ctx.cast.verifier).setProjectStatus(id, ProjectStatus.Active),
        );
    }
    const rows = [];
    for (const p of projects) {
      const id = ctx.state.projects[p.key] as bigint;
      const info = await registry.project(id);
      rows.push({
        id: id.toString(),
        project: info.name,
        category: enumName("Category", info.category),
        country: ethers.toUtf8String(info.country),
        standard: `${info.standard} ${info.externalId}`,
        status: enumName("ProjectStatus", info.status),
        owner: ctx.who(info.owner),
      });
    }
    ctx.table("Registered projects", rows);
  },
};
export default act;
