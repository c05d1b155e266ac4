// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC1155Holder} from "@openzeppelin/contracts/token/ERC1155/utils/ERC1155Holder.sol";
import {SuiteFixture} from "../base/SuiteFixture.sol";
import {DateTimeLib} from "../../../contracts/libraries/DateTimeLib.sol";
import {ICreditMarketplace} from "../../../contracts/interfaces/ICreditMarketplace.sol";
import {IssueParams} from "../../../contracts/interfaces/ICarbonCredit.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";

/// @title PureLogicFuzz
/// @notice Fuzz tests of the suite's arithmetic and data structures against independent references: price and fee
/// rounding, the calendar year of a timestamp, serial-range insertion, the pool's batch queue.
contract PureLogicFuzz is SuiteFixture, ERC1155Holder {
    uint256[] internal projectIds;

    function setUp() public {
        _deploySuite();
        projectIds = _activeProjects(1, address(this));
        credit.grantRole(Roles.ISSUER, address(this));
    }

    // ───────────────────────────── price and fee rounding ─────────────────────────────

    /// @notice priceOf = ⌈kg × price / 1000⌉: never under the exact price, less than one unit over it; overflow is
    /// a named error.
    function testFuzz_priceRoundsUpToTheSmallestUnit(uint256 kg, uint256 pricePerTonne) public view {
        kg = bound(kg, 1, type(uint128).max);
        pricePerTonne = bound(pricePerTonne, 1, type(uint128).max);
        uint256 total = market.priceOf(kg, pricePerTonne);
        uint256 exact = kg * pricePerTonne; // < 2^256: both < 2^128
        assertGe(total * 1000, exact, "price rounded down");
        assertLt((total - 1) * 1000, exact, "price rounded up by more than one unit");
    }

    function testFuzz_priceOverflowIsANamedError(uint256 kg, uint256 pricePerTonne) public {
        kg = bound(kg, 2, type(uint256).max);
        pricePerTonne = bound(pricePerTonne, type(uint256).max / kg + 1, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(ICreditMarketplace.PriceOverflow.selector, kg, pricePerTonne));
        market.priceOf(kg, pricePerTonne);
    }

    /// @notice The marketplace fee is ⌊total × bps / 10,000⌋, the seller gets the rest: seller + fee = total.
    function testFuzz_marketFeeRoundsDownAndSplitsExactly(uint256 kg, uint256 price, uint16 bps) public {
        kg = bound(kg, 1, 1_000_000);
        price = bound(price, 1, 1e30);
        bps = uint16(bound(bps, 0, 1000));
        market.setFee(bps, treasury);
        address seller = address(0x5e11);
        address buyer = address(0xb0b);
        credit.issue(IssueParams(projectIds[0], 2024, 1, 1000, seller, "att"));
        vm.prank(seller);
        credit.setApprovalForAll(address(market), true);
        vm.prank(seller);
        uint256 id = market.list(1, kg, address(usd), price);
        (uint256 total, uint256 fee) = market.quote(id, kg);
        assertEq(fee, (total * bps) / 10_000, "fee not rounded down");
        usd.mint(buyer, total);
        vm.startPrank(buyer);
        usd.approve(address(market), total);
        market.buy(id, kg, total);
        vm.stopPrank();
        assertEq(usd.balanceOf(seller) + usd.balanceOf(treasury), total, "seller + fee != price");
        assertEq(usd.balanceOf(treasury), fee, "treasury got other than the fee");
    }

    /// @notice The pool's fee per kg (kg × bps × 1e11) is exactly the fee on the kg's pool tokens (kg × 1e15 × bps /
    /// 10,000): no rounding at all.
    function testFuzz_poolFeeIsExact(uint96 kg, uint16 bps) public pure {
        bps = uint16(bound(bps, 0, 1000));
        assertEq(uint256(kg) * bps * (1e15 / 10_000), (uint256(kg) * 1e15 * bps) / 10_000);
    }

    // ───────────────────────────── calendar year ─────────────────────────────

    /// @notice yearOf agrees with a reference that counts days from 1970 to the first of January of each year.
    function testFuzz_yearOfMatchesTheCalendar(uint256 ts) public pure {
        ts = bound(ts, 0, 253_402_300_799); // up to 9999-12-31T23:59:59Z
        uint256 year = DateTimeLib.yearOf(ts);
        uint256 day = ts / 86_400;
        assertLe(_daysBeforeYear(year), day, "timestamp lies before the year returned");
        assertGt(_daysBeforeYear(year + 1), day, "timestamp lies after the year returned");
    }

    /// @notice The first and last second of a random year map to that year (leap years and centuries included).
    function testFuzz_yearBoundaries(uint256 year) public pure {
        year = bound(year, 1970, 9998);
        uint256 start = _daysBeforeYear(year) * 86_400;
        assertEq(DateTimeLib.yearOf(start), year, "first second");
        assertEq(DateTimeLib.yearOf(start + _daysIn(year) * 86_400 - 1), year, "last second");
        if (year > 1970) assertEq(DateTimeLib.yearOf(start - 1), year - 1, "second before");
    }

    /// @dev Days from 1970-01-01 to the first of January of `year` (≥ 1970), counting leap days directly.
    function _daysBeforeYear(uint256 year) private pure returns (uint256) {
        uint256 y = year - 1;
        uint256 leaps = (y / 4 - y / 100 + y / 400) - 477; // 477 = leap days before 1970 (1969/4 - 1969/100 + 1969/400)
        return (year - 1970) * 365 + leaps;
    }

    function _daysIn(uint256 year) private pure returns (uint256) {
        bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 366 : 365;
    }

    // ───────────────────────────── serial-range insertion ─────────────────────────────

    /// @notice Ranges issued in any order (each with the hint of the range just below it, or plainly on top) form a
    /// sorted, complete list; a range overlapping any of them is refused.
    function testFuzz_serialRangesInsertInAnyOrder(uint256 seed) public {
        uint256 n = 12;
        // disjoint ranges [10k+1, 10k+len]: inserted in a random permutation
        uint256[] memory order = new uint256[](n);
        for (uint256 i; i < n; ++i) order[i] = i;
        for (uint256 i = n - 1; i > 0; --i) {
            uint256 j = uint256(keccak256(abi.encode(seed, i))) % (i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        uint256[] memory batchOf = new uint256[](n);
        for (uint256 k; k < n; ++k) {
            uint256 slot = order[k];
            uint64 start = uint64(slot * 10 + 1);
            uint64 end = start + uint64(uint256(keccak256(abi.encode(seed, "len", slot))) % 9);
            uint256 below;
            uint256 top;
            for (uint256 s; s < n; ++s) {
                if (batchOf[s] == 0) continue;
                if (s < slot) below = batchOf[s];
                top = batchOf[s];
            }
            IssueParams memory p = IssueParams(projectIds[0], 2024, start, end, address(this), "att");
            batchOf[slot] =
                below == top && uint256(keccak256(abi.encode(seed, k))) % 2 == 0
                    ? credit.issue(p)
                    : credit.issueWithHint(p, below);
        }
        (uint256 id, uint256 highest) = credit.rangeEnds(projectIds[0]);
        for (uint256 s; s < n; ++s) {
            assertEq(id, batchOf[s], "list not sorted by serial");
            id = credit.nextBatchAbove(id);
        }
        assertEq(id, 0, "list longer than the batches");
        assertEq(highest, batchOf[n - 1], "highest");
        // any overlap is refused, whatever the hint
        uint256 hit = uint256(keccak256(abi.encode(seed, "hit"))) % n;
        uint64 serial = uint64(hit * 10 + 1);
        uint256 hint = batchOf[uint256(keccak256(abi.encode(seed, "hint"))) % n];
        vm.expectRevert();
        credit.issueWithHint(IssueParams(projectIds[0], 2024, serial, serial, address(this), "att"), hint);
    }

    // ───────────────────────────── the pool's batch queue ─────────────────────────────

    /// @notice Deposits and full or partial redemptions in any order keep the queue equal to a model list of the
    /// batches with credits, in arrival order.
    function testFuzz_poolQueueFollowsArrivalOrder(uint256 seed) public {
        uint256 n = 6;
        for (uint256 i; i < n; ++i) {
            credit.issue(
                IssueParams(projectIds[0], 2024, uint64(i * 100 + 1), uint64(i * 100 + 10), address(this), "a")
            );
        }
        credit.setApprovalForAll(address(pool), true);
        uint256[] memory model = new uint256[](n);
        uint256 len;
        for (uint256 step; step < 24; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 batchId = (r % n) + 1;
            uint256 held = pool.heldKg(batchId);
            if (r % 3 != 0 || held == 0) {
                uint256 kg = ((r >> 8) % 500) + 1;
                if (credit.balanceOf(address(this), batchId) < kg) continue;
                pool.deposit(batchId, kg);
                if (held == 0) model[len++] = batchId;
            } else {
                uint256 kg = (r >> 8) % 2 == 0 ? held : ((r >> 16) % held) + 1;
                pool.redeem(batchId, kg);
                if (kg == held) {
                    uint256 k;
                    while (model[k] != batchId) ++k;
                    for (; k + 1 < len; ++k) model[k] = model[k + 1];
                    --len;
                }
            }
            (uint256 head, uint256 tail, uint256 count) = pool.queue();
            assertEq(count, len, "queue length");
            uint256 id = head;
            uint256 prev;
            for (uint256 k; k < len; ++k) {
                assertEq(id, model[k], "queue order");
                (uint256 p, uint256 next) = pool.neighbours(id);
                assertEq(p, prev, "prev link");
                prev = id;
                id = next;
            }
            assertEq(id, 0, "queue longer than its length");
            assertEq(tail, prev, "tail");
        }
    }
}
