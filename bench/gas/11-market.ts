import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { CarbonCredit, CreditMarketplace, GreenProjectRegistry, TestStablecoin } from "../../typechain-types";
import { EVM, type GasModule, type GasRow, logCost, measureTx } from "../lib";
import { signPermit } from "../../sdk";

/** CreditMarketplace: list, buy (DvP with fee), buyAndRetire, buyWithPermit, cancel. */
const mod: GasModule = {
  area: "market",
  tags: ["market"],
  async measure(hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
    const { ethers, deployments } = hre;
    const [deployer, verifier, , seller, buyer, buyer2] = await ethers.getSigners();
    const at = async <T>(name: string) =>
      (await ethers.getContractAt(name, (await deployments.get(name)).address)) as unknown as T;
    const registry = await at<GreenProjectRegistry>("GreenProjectRegistry");
    const credit = await at<CarbonCredit>("CarbonCredit");
    const market = await at<CreditMarketplace>("CreditMarketplace");
    const usd = await at<TestStablecoin>("TestStablecoin");
    const marketAddr = await market.getAddress();
    const usdAddr = await usd.getAddress();
    const rows: GasRow[] = [];

    await (
      await registry.connect(deployer).registerProject({
        owner: seller.address,
        name: "Kasigau Corridor REDD+",
        category: 0,
        country: "0x4b45",
        standard: "Verra VCS",
        externalId: "VCS-612-market",
        methodology: "VM0009",
        metadataURI: "ipfs://bafy-project",
      })
    ).wait();
    const projectId = await registry.projectCount();
    await (await registry.connect(verifier).setProjectStatus(projectId, 1)).wait();
    const issue = {
      projectId,
      vintage: 2021,
      serialStart: 1n,
      serialEnd: 1000n,
      to: seller.address,
      attestation: ethers.id("r"),
    };
    await (await credit.connect(verifier).issue(issue)).wait();
    const batchId = await credit.batchCount();
    await (await credit.connect(seller).setApprovalForAll(marketAddr, true)).wait();
    for (const b of [buyer, buyer2]) {
      await (await usd.mint(b.address, 10n ** 12n)).wait();
      await (await usd.connect(b).approve(marketAddr, ethers.MaxUint256)).wait();
    }
    // warm the treasury's and seller's tUSD balances like a live market (first-ever payment is a one-off)
    await (await usd.mint(seller.address, 1n)).wait();
    await (await usd.mint((await ethers.getSigners())[2].address, 1n)).wait();

    const price = 12_500_000n;
    const first = await measureTx(market.connect(seller).list(batchId, 100_000n, usdAddr, price));
    rows.push({
      key: "market.list.first",
      area: "market",
      op: "list (first listing of the batch: market balance slot new)",
      gas: first.gas,
      // listing: 3 new slots; counter slot update; seller balance update + market balance new; 2 logs
      floor:
        first.intrinsic +
        4 * EVM.SSTORE_NEW +
        EVM.SSTORE_UPDATE_COLD +
        EVM.SSTORE_UPDATE_COLD +
        EVM.CALL_COLD +
        logCost(4, 128) +
        logCost(4, 64),
    });
    const list = await measureTx(market.connect(seller).list(batchId, 100_000n, usdAddr, price));
    rows.push({ key: "market.list", area: "market", op: "list (escrow 100 t)", gas: list.gas });
    const listingId = await market.listingCount();

    const buy1 = await measureTx(market.connect(buyer).buy(listingId, 2_500n, ethers.MaxUint256));
    rows.push({
      key: "market.buy",
      area: "market",
      op: "buy 2.5 t (new credit holder; seller + treasury paid with balance checks)",
      gas: buy1.gas,
    });
    const buy2 = await measureTx(market.connect(buyer).buy(listingId, 2_500n, ethers.MaxUint256));
    rows.push({
      key: "market.buy.existingHolder",
      area: "market",
      op: "buy 2.5 t (buyer already holds the batch)",
      gas: buy2.gas,
    });

    const name = "Acme Airlines 25"; // 16 bytes
    const reason = "Scope 3 travel25"; // 16 bytes
    // first retirement mints buyer2's first certificate (new balance slot); measure the steady state
    await (
      await market.connect(buyer2).buyAndRetire(listingId, 1_500n, ethers.MaxUint256, ethers.ZeroAddress, name, reason)
    ).wait();
    const bar = await measureTx(
      market.connect(buyer2).buyAndRetire(listingId, 1_500n, ethers.MaxUint256, ethers.ZeroAddress, name, reason),
    );
    rows.push({
      key: "market.buyAndRetire",
      area: "market",
      op: "buyAndRetire 1.5 t (buyer holds a certificate, 16-byte strings)",
      gas: bar.gas,
    });

    const [permitBuyer] = (await ethers.getSigners()).slice(6, 7);
    await (await usd.mint(permitBuyer.address, 10n ** 12n)).wait();
    const total = await market.priceOf(1_000n, price);
    const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n;
    const sig = await signPermit(usd, permitBuyer, marketAddr, total, deadline, 0n);
    const permitBuy = await measureTx(
      market.connect(permitBuyer).buyWithPermit(listingId, 1_000n, total, deadline, sig.v, sig.r, sig.s),
    );
    rows.push({
      key: "market.buyWithPermit",
      area: "market",
      op: "buyWithPermit 1 t (new holder)",
      gas: permitBuy.gas,
    });

    const cancel = await measureTx(market.connect(seller).cancel(listingId));
    rows.push({
      key: "market.cancel",
      area: "market",
      op: "cancel (remaining credits back to the seller)",
      gas: cancel.gas,
    });
    return rows;
  },
};
export default mod;
