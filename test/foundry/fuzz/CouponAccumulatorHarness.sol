// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CouponAccumulator} from "../../../contracts/libraries/CouponAccumulator.sol";

/// @dev Holds the accounts and the accumulator of one CouponAccumulator distribution so the fuzz test can drive the
/// library directly (the balances live in the test's model).
contract CouponAccumulatorHarness {
    using CouponAccumulator for CouponAccumulator.Account;

    uint256 public acc;
    mapping(uint256 holder => CouponAccumulator.Account) internal _accounts;

    function increment(uint256 amount, uint256 supply) external pure returns (uint256) {
        return CouponAccumulator.increment(amount, supply);
    }

    function accrued(uint256 balance, uint256 from, uint256 to) external pure returns (uint256) {
        return CouponAccumulator.accrued(balance, from, to);
    }

    function distribute(uint256 amount, uint256 supply) external {
        acc += CouponAccumulator.increment(amount, supply);
    }

    function settle(uint256 holder, uint256 balance) external {
        _accounts[holder].settle(acc, balance);
    }

    function take(uint256 holder) external returns (uint256) {
        return _accounts[holder].take();
    }

    function pending(uint256 holder, uint256 balance) external view returns (uint256) {
        return _accounts[holder].pending(acc, balance);
    }
}
