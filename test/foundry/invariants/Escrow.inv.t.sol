// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EscrowChecks} from "../base/EscrowChecks.sol";
import {EscrowHandler} from "../handlers/EscrowHandler.sol";

/// @title EscrowInvariants
/// @notice MilestoneEscrow under random deals, fundings, attestations, disputes, resolutions, refunds, cancellations
/// and withdrawals, with time passing.
contract EscrowInvariants is EscrowChecks {
    EscrowHandler internal h;

    function setUp() public {
        _deploySuite();
        uint256[] memory ps = _activeProjects(1, address(this));
        h = new EscrowHandler(_escrowSetup(ps[0]), START_TIME);
        targetContract(address(h));
    }

    /// @notice Token balance ≥ liabilities; liabilities = Σ owed + Σ funded-and-unsettled; one terminal state per
    /// milestone; every payee owed exactly its share; no in-handler check failed (second settlements refused,
    /// withdrawals pay what is owed).
    function invariant_escrowBooks() public view {
        _checkEscrowBooks(h);
        _checkMoney(_with(h.escrowPayees(), address(escrow)), h.ghostEscrowMinted());
        _checkHandler(address(h));
    }
}
