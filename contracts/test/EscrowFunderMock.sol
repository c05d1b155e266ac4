// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IMilestoneEscrow, DealInput} from "../interfaces/IMilestoneEscrow.sol";

/// @title EscrowFunderMock
/// @notice A contract that funds escrow deals (as GreenBond does): creates, approves and funds in one call,
/// and can act as a party (dispute, cancel, withdraw). Test support only.
contract EscrowFunderMock {
    using SafeERC20 for IERC20;

    IMilestoneEscrow public immutable escrow;

    constructor(IMilestoneEscrow escrow_) {
        escrow = escrow_;
    }

    /// @notice Creates a deal as funder, approves the escrow for the total and funds it.
    function createAndFund(DealInput calldata d) external returns (uint256 dealId) {
        dealId = escrow.createDeal(d);
        uint256 total;
        for (uint256 i; i < d.milestones.length; ++i) total += d.milestones[i].amount;
        IERC20(d.token).forceApprove(address(escrow), total);
        escrow.fund(dealId);
    }

    /// @notice Creates a deal without funding it.
    function create(DealInput calldata d) external returns (uint256) {
        return escrow.createDeal(d);
    }

    /// @notice Disputes a milestone as funder.
    function dispute(uint256 dealId, uint256 index, bytes32 reason) external {
        escrow.dispute(dealId, index, reason);
    }

    /// @notice Calls cancel as funder.
    function cancel(uint256 dealId) external {
        escrow.cancel(dealId);
    }

    /// @notice Pulls what the escrow owes this contract.
    function withdraw(address token) external returns (uint256) {
        return escrow.withdraw(token);
    }
}
