// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CouponAccumulator} from "../libraries/CouponAccumulator.sol";

/// @title CouponAccumulatorHarness
/// @notice Test-only: a minimal token book over CouponAccumulator (balances, distributions, claims), settling every
/// account before its balance changes, as GreenBond does.
contract CouponAccumulatorHarness {
    using CouponAccumulator for CouponAccumulator.Account;

    uint256 public acc;
    uint256 public supply;
    uint256 public distributed;
    uint256 public taken;
    mapping(address account => uint256) public balanceOf;
    mapping(address account => CouponAccumulator.Account) private _accounts;

    /// @notice CouponAccumulator.increment.
    function increment(uint256 amount, uint256 supply_) external pure returns (uint256) {
        return CouponAccumulator.increment(amount, supply_);
    }

    /// @notice CouponAccumulator.accrued.
    function accrued(uint256 balance, uint256 from, uint256 to) external pure returns (uint256) {
        return CouponAccumulator.accrued(balance, from, to);
    }

    /// @notice Settles `account`, then sets its balance to `balance`.
    function setBalance(address account, uint256 balance) external {
        _accounts[account].settle(acc, balanceOf[account]);
        supply = supply - balanceOf[account] + balance;
        balanceOf[account] = balance;
    }

    /// @notice Distributes `amount` over the supply.
    function distribute(uint256 amount) external {
        acc += CouponAccumulator.increment(amount, supply);
        distributed += amount;
    }

    /// @notice Settles `account` with the snapshot already read (the GreenBond path).
    function settleFrom(address account) external {
        CouponAccumulator.Account storage a = _accounts[account];
        uint256 snap = a.snapshot;
        if (snap != acc) a.settleFrom(snap, acc, balanceOf[account]);
    }

    /// @notice Settles and takes what `account` is owed.
    function claim(address account) external returns (uint256 owed) {
        _accounts[account].settle(acc, balanceOf[account]);
        owed = _accounts[account].take();
        taken += owed;
    }

    /// @notice CouponAccumulator.pending of `account`.
    function pending(address account) external view returns (uint256) {
        return _accounts[account].pending(acc, balanceOf[account]);
    }

    /// @notice The stored account of `account`.
    function accountOf(address account) external view returns (uint256 owed, uint256 snapshot) {
        CouponAccumulator.Account memory a = _accounts[account];
        return (a.owed, a.snapshot);
    }
}
