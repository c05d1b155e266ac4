// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SuiteFixture} from "./SuiteFixture.sol";
import {EscrowOps} from "../handlers/EscrowOps.sol";
import {DealView, DealStatus, MilestoneState, MilestoneView} from "../../../contracts/interfaces/IMilestoneEscrow.sol";

/// @title EscrowChecks
/// @notice The escrow invariants, shared by the escrow and whole-suite campaigns.
abstract contract EscrowChecks is SuiteFixture {
    function _escrowSetup(uint256 projectId) internal view returns (EscrowOps.EscrowSetup memory) {
        return EscrowOps.EscrowSetup(escrow, usd, projectId, escrowTreasury, verifiers, address(this));
    }

    /// @dev Token balance ≥ liabilities; liabilities = Σ owed + Σ funded-and-unsettled milestones; every milestone is
    /// in the state the handler drove it to (so a terminal state, once reached, is the only one it ever has);
    /// openMilestones counts the unsettled milestones; every account is owed exactly what the ghost says.
    function _checkEscrowBooks(EscrowOps h) internal view {
        uint256 liabilities = escrow.totalLiabilities(address(usd));
        assertGe(usd.balanceOf(address(escrow)), liabilities, "escrow token balance < liabilities");
        uint256[] memory ids = h.dealIds();
        uint256 locked;
        for (uint256 k; k < ids.length; ++k) {
            DealView memory d = escrow.deal(ids[k]);
            (, , , , , DealStatus ghostStatus) = h.ghostDeal(ids[k]);
            assertEq(uint8(d.status), uint8(ghostStatus), "deal status differs from the ghost");
            uint256 open;
            for (uint256 i; i < d.milestoneCount; ++i) {
                MilestoneView memory m = escrow.milestone(ids[k], i);
                assertEq(uint8(m.state), uint8(h.ghostMilestoneState(ids[k], i)), "milestone state differs");
                assertEq(m.amount, h.ghostMilestoneAmount(ids[k], i), "milestone amount changed");
                if (d.status == DealStatus.Funded && m.state <= MilestoneState.Disputed) {
                    locked += m.amount;
                    ++open;
                }
            }
            if (d.status == DealStatus.Funded) assertEq(d.openMilestones, open, "openMilestones miscounted");
        }
        address[] memory payees = h.escrowPayees();
        uint256 owed;
        for (uint256 i; i < payees.length; ++i) {
            uint256 o = escrow.owed(payees[i], address(usd));
            assertEq(o, h.ghostOwed(payees[i]), "owed differs from the ghost");
            owed += o;
        }
        assertEq(liabilities, owed + locked, "liabilities != sum owed + sum funded-and-unsettled");
    }
}
