// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IGreenBond, UseOfProceeds, ProceedsMilestone} from "../interfaces/IGreenBond.sol";
import {IMilestoneEscrow, DealInput, MilestoneInput} from "../interfaces/IMilestoneEscrow.sol";

/// @title BondProceedsLib
/// @notice A GreenBond's use-of-proceeds deal: stores the terms given at creation and, at a successful close, creates
/// and funds the MilestoneEscrow deal (bond = funder, issuer = beneficiary). An EXTERNAL library linked into
/// GreenBond (delegate-called, so every call and approval comes from the bond), run once per bond: it keeps this code
/// out of the bond's creation code that GreenBondDeployer carries.
library BondProceedsLib {
    using SafeERC20 for IERC20;

    uint256 private constant BPS = 10_000;

    /// @notice Copies the validated use-of-proceeds terms into the bond's storage.
    function store(UseOfProceeds storage s, UseOfProceeds memory u) external {
        s.projectId = u.projectId;
        s.threshold = u.threshold;
        s.arbiter = u.arbiter;
        s.disputeWindow = u.disputeWindow;
        for (uint256 i = 0; i < u.verifiers.length; ++i) s.verifiers.push(u.verifiers[i]);
        for (uint256 i = 0; i < u.milestones.length; ++i) s.milestones.push(u.milestones[i]);
    }

    /// @notice Creates the deal and funds it with exactly `amount` (milestone i gets floor(amount * bps_i / 10_000),
    /// the last one the remainder); reverts EscrowFundingMismatch when the bond's balance moved by another amount.
    function fund(
        UseOfProceeds storage s,
        IMilestoneEscrow escrow,
        IERC20 token,
        address issuer,
        uint256 amount
    ) external returns (uint256 dealId) {
        DealInput memory d;
        uint256 n = s.milestones.length;
        d.projectId = s.projectId;
        d.beneficiary = issuer;
        d.token = address(token);
        d.verifiers = s.verifiers;
        d.threshold = s.threshold;
        d.arbiter = s.arbiter;
        d.disputeWindow = s.disputeWindow;
        d.milestones = new MilestoneInput[](n);
        uint256 allocated;
        for (uint256 i = 0; i < n; ++i) {
            ProceedsMilestone memory m = s.milestones[i];
            uint256 part = i + 1 == n ? amount - allocated : (amount * m.bps) / BPS;
            allocated += part;
            d.milestones[i] = MilestoneInput(part, m.deadline, m.description);
        }
        uint256 before = token.balanceOf(address(this));
        token.forceApprove(address(escrow), amount);
        dealId = escrow.createDeal(d);
        escrow.fund(dealId);
        uint256 moved = before - token.balanceOf(address(this));
        if (moved != amount) revert IGreenBond.EscrowFundingMismatch(amount, moved);
        token.forceApprove(address(escrow), 0);
    }
}
