// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title CouponAccumulator
/// @notice Pro-rata payouts to the holders of a token in O(1) per holder: a cumulative payout-per-unit accumulator
/// (`acc`, scaled by SCALE) grows with every amount distributed over the supply, and each holder's account keeps what
/// it is owed and the accumulator value it was last settled at. Settle an account before every change of its balance
/// (mint, burn, transfer leg) and before paying it; nothing loops over holders.
/// @dev Rounding is always in favour of the distributor:
/// - `increment(amount, supply) = floor(amount * SCALE / supply)`, so Σ over holders of what one distribution adds
///   is <= amount (< 1 wei per distribution, plus the per-settlement rounding below, stays undistributed);
/// - `accrued(balance, from, to) = floor(balance * (to - from) / SCALE)`, so each settlement of a holder leaves
///   < 1 wei behind.
/// Hence, for any sequence of distributions, settlements and balance changes where every balance change is preceded
/// by a settlement of that account, Σ owed (plus what was already taken) <= Σ amounts distributed.
library CouponAccumulator {
    /// @notice Precision of the accumulator (payout-token wei per token unit, scaled).
    uint256 internal constant SCALE = 1e36;

    /// @dev One holder: payout owed (settled, not yet taken) and the accumulator value it was settled at.
    struct Account {
        uint256 owed;
        uint256 snapshot;
    }

    /// @notice What distributing `amount` over `supply` units adds to the accumulator: floor(amount * SCALE / supply).
    /// @dev Reverts (division by zero) when `supply` is 0: there is nobody to distribute to.
    function increment(uint256 amount, uint256 supply) internal pure returns (uint256) {
        return Math.mulDiv(amount, SCALE, supply);
    }

    /// @notice What `balance` units earned while the accumulator moved from `from` to `to`:
    /// floor(balance * (to - from) / SCALE).
    function accrued(uint256 balance, uint256 from, uint256 to) internal pure returns (uint256) {
        return Math.mulDiv(balance, to - from, SCALE);
    }

    /// @notice What `self`, holding `balance` units, is owed at accumulator value `acc` (settled or not).
    function pending(Account memory self, uint256 acc, uint256 balance) internal pure returns (uint256) {
        return self.owed + accrued(balance, self.snapshot, acc);
    }

    /// @notice Books what `balance` units earned since `self`'s last settlement and moves its snapshot to `acc`.
    function settle(Account storage self, uint256 acc, uint256 balance) internal {
        uint256 snapshot = self.snapshot;
        if (snapshot != acc) settleFrom(self, snapshot, acc, balance);
    }

    /// @notice `settle` for a caller that already read `snapshot == self.snapshot` and found it `!= acc` (it reads
    /// the balance only then: when the accumulator has not moved nothing is owed since, and the call would change
    /// nothing). GreenBond writes these two steps inline in its `_settle` (no call frame on every transfer leg).
    function settleFrom(Account storage self, uint256 snapshot, uint256 acc, uint256 balance) internal {
        if (balance != 0) self.owed += accrued(balance, snapshot, acc);
        self.snapshot = acc;
    }

    /// @notice Takes everything `self` is owed (settle it first): returns it and sets it to 0.
    function take(Account storage self) internal returns (uint256 owed) {
        owed = self.owed;
        self.owed = 0;
    }
}
