// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TreelionTest} from "../base/TreelionTest.sol";
import {CouponAccumulatorHarness} from "../../../contracts/test/CouponAccumulatorHarness.sol";

/// @title CouponAccumulatorLibFuzz
/// @notice The CouponAccumulator library (contracts/libraries) against a reference model that pays every distribution
/// out to every holder at once (a loop over holders, exact to 1/SCALE of a base unit): random mints, burns,
/// transfers, distributions and takes over three holders. Each holder's take + pending is never above its exact
/// share and below it only by rounding (< 1 base unit per settlement, plus one); Σ paid ≤ Σ distributed.
contract CouponAccumulatorLibFuzz is TreelionTest {
    uint256 internal constant SCALE = 1e36;
    uint256 internal constant HOLDERS = 3;

    CouponAccumulatorHarness internal lib;
    uint256[HOLDERS] internal balance;
    /// @dev The reference: Σ over distributions of ⌊balance × amount × SCALE / supply⌋, per holder.
    uint256[HOLDERS] internal exactScaled;
    uint256[HOLDERS] internal taken;
    uint256[HOLDERS] internal settlements;
    uint256 internal distributed;
    uint256 internal distributions;

    function setUp() public {
        lib = new CouponAccumulatorHarness();
    }

    /// @notice increment = ⌊amount × SCALE / supply⌋ and accrued = ⌊balance × (to − from) / SCALE⌋, exactly.
    function testFuzz_incrementAndAccruedRoundDown(
        uint256 amount,
        uint256 supply,
        uint256 bal,
        uint256 from,
        uint256 delta
    ) public view {
        amount = bound(amount, 0, 1e40);
        supply = bound(supply, 1, type(uint128).max);
        uint256 inc = lib.increment(amount, supply);
        assertEq(inc, (amount * SCALE) / supply, "increment");
        assertLe(inc * supply, amount * SCALE, "increment rounds up");
        bal = bound(bal, 0, 1e30);
        from = bound(from, 0, type(uint128).max);
        delta = bound(delta, 0, 1e46);
        assertEq(lib.accrued(bal, from, from + delta), (bal * delta) / SCALE, "accrued");
    }

    /// @notice 48 random steps; the library's payouts against the pay-everyone-at-once reference.
    function testFuzz_payoutsMatchReference(uint256 seed) public {
        for (uint256 step; step < 48; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 a = r % HOLDERS;
            uint256 b = (r >> 8) % HOLDERS;
            uint256 op = (r >> 16) % 5;
            uint256 x = r >> 32;
            if (op == 0) {
                _setBalance(a, balance[a] + bound(x, 1, 1e24)); // mint
            } else if (op == 1 && balance[a] != 0) {
                _setBalance(a, balance[a] - bound(x, 1, balance[a])); // burn
            } else if (op == 2 && a != b && balance[a] != 0) {
                uint256 units = bound(x, 1, balance[a]);
                _setBalance(a, balance[a] - units);
                _setBalance(b, balance[b] + units);
            } else if (op == 3) {
                _distribute(bound(x, 1, 1e15));
            } else {
                ++settlements[a];
                taken[a] += lib.claim(_holder(a));
            }
        }
        uint256 paid;
        for (uint256 i; i < HOLDERS; ++i) {
            uint256 got = taken[i] + lib.pending(_holder(i));
            // exact share × SCALE < exactScaled + distributions (each reference term rounds down by < 1)
            assertLe(got * SCALE, exactScaled[i] + distributions, "paid a holder more than its exact share");
            assertGe(
                got + settlements[i] + 1,
                exactScaled[i] / SCALE,
                "paid a holder less than its share beyond rounding"
            );
            paid += got;
        }
        assertLe(paid, distributed, "paid more than was distributed");
    }

    function _holder(uint256 i) internal pure returns (address) {
        return address(uint160(0x1000 + i));
    }

    /// @dev The harness settles the holder, then sets its balance (as GreenBond settles before every balance change).
    function _setBalance(uint256 i, uint256 units) internal {
        lib.setBalance(_holder(i), units);
        balance[i] = units;
        ++settlements[i];
    }

    function _distribute(uint256 amount) internal {
        uint256 supply;
        for (uint256 i; i < HOLDERS; ++i) supply += balance[i];
        if (supply == 0) return;
        assertEq(lib.supply(), supply, "harness supply");
        lib.distribute(amount);
        distributed += amount;
        ++distributions;
        for (uint256 i; i < HOLDERS; ++i) exactScaled[i] += (balance[i] * amount * SCALE) / supply;
    }
}
