// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMilestoneEscrow} from "../interfaces/IMilestoneEscrow.sol";

/// @title EscrowBeneficiaryMock
/// @notice A hostile beneficiary contract: it rejects ETH, and when it withdraws it can be told to call back
/// into the escrow (used with a hook token). It only ever hurts itself: payouts are pull payments.
/// Test support only.
contract EscrowBeneficiaryMock {
    IMilestoneEscrow public immutable escrow;

    error Rejected();

    constructor(IMilestoneEscrow escrow_) {
        escrow = escrow_;
    }

    /// @notice Pulls what the escrow owes this contract.
    function withdraw(address token) external returns (uint256) {
        return escrow.withdraw(token);
    }

    /// @notice Disputes a milestone as beneficiary.
    function dispute(uint256 dealId, uint256 index, bytes32 reason) external {
        escrow.dispute(dealId, index, reason);
    }

    /// @notice Calls cancel as beneficiary.
    function cancel(uint256 dealId) external {
        escrow.cancel(dealId);
    }

    /// @notice Arbitrary call into the escrow (e.g. trying functions reserved to others).
    function callEscrow(bytes calldata data) external returns (bytes memory) {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = address(escrow).call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    receive() external payable {
        revert Rejected();
    }
}
