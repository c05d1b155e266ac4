// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BondChecks} from "../base/BondChecks.sol";

/// @title CouponAccumulatorFuzz
/// @notice The bond's coupon accumulator against an exact model: with random holdings and transfers between coupon
/// periods, every holder accrues Σ (units held at the coupon × coupon / units outstanding), rounded down by at most
/// one base unit per settlement, never more than the exact share; each funding steps the accumulator by exactly
/// ⌊coupon × ACC_SCALE / units⌋.
contract CouponAccumulatorFuzz is BondChecks {
    address[] internal holders;

    function setUp() public {
        _deploySuite();
        uint256[] memory ps = _activeProjects(1, address(this));
        for (uint256 i; i < 3; ++i) holders.push(address(uint160(uint256(keccak256(abi.encode("holder", i))))));
        _deployBond(ps[0], holders);
    }

    /// forge-config: default.fuzz.runs = 256
    /// forge-config: deep.fuzz.runs = 5000
    function testFuzz_couponsAccrueProRata(uint256[3] memory units, uint256 seed) public {
        for (uint256 i; i < 3; ++i) {
            units[i] = bound(units[i], 4e18, 300e18); // 3 × 4 units > the soft cap: the bond issues
            uint256 price = (units[i] * bond.unitPrice() + 1e18 - 1) / 1e18;
            usd.mint(holders[i], price);
            vm.startPrank(holders[i]);
            usd.approve(address(bond), price);
            bond.subscribe(units[i]);
            vm.stopPrank();
        }
        vm.warp(bond.subscriptionEnd());
        bond.closeSubscription();
        uint256 supply = bond.totalSupply();
        // exact entitlement × supply (an integer), per holder
        uint256[3] memory scaled;
        usd.mint(issuer, 1e30);
        vm.prank(issuer);
        usd.approve(address(bond), type(uint256).max);
        uint256 periods = bond.couponCount();
        for (uint256 p = 1; p <= periods; ++p) {
            uint256 r = uint256(keccak256(abi.encode(seed, p)));
            (uint256 from, uint256 to) = (r % 3, (r >> 8) % 3);
            uint256 bal = bond.balanceOf(holders[from]);
            if (from != to && bal != 0) {
                vm.prank(holders[from]);
                bond.transfer(holders[to], ((r >> 16) % bal) + 1);
            }
            vm.warp(bond.couponDueAt(p));
            uint256 before = bond.couponsFundedTotal();
            uint256 accBefore = bond.couponPerUnit();
            vm.prank(issuer);
            bond.depositCoupon(p); // the KPI step-up may raise the rate on the way
            uint256 amount = bond.couponsFundedTotal() - before;
            // the accumulator step is the coupon per unit rounded down: ⌊amount × ACC_SCALE / supply⌋
            assertEq(bond.couponPerUnit() - accBefore, (amount * bond.ACC_SCALE()) / supply, "accumulator step");
            for (uint256 i; i < 3; ++i) scaled[i] += bond.balanceOf(holders[i]) * amount;
        }
        uint256 total;
        for (uint256 i; i < 3; ++i) {
            uint256 got = bond.claimable(holders[i]);
            uint256 exact = scaled[i] / supply; // ⌊exact share⌋
            assertLe(got, exact, "accrued more than the exact share");
            assertLe(exact - got, periods + 1, "accrued less than the exact share beyond rounding");
            total += got;
        }
        assertLe(total, bond.couponsFundedTotal(), "claimable > funded");
    }
}
