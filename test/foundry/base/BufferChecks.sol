// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CreditChecks} from "./CreditChecks.sol";
import {BufferOps} from "../handlers/BufferOps.sol";

/// @title BufferChecks
/// @notice The buffer invariants, shared by the buffer and whole-suite campaigns.
abstract contract BufferChecks is CreditChecks {
    /// @dev The buffer holds, per batch, exactly its booked own + pooled kg, in total `totalBufferKg()`; the kg the
    /// credit contract cancelled equal the kg the reversals cancelled; every reversal is cancelled + uncovered +
    /// remaining = reported, and an avoidable one is owed exactly what was not compensated.
    function _checkBufferBooks(BufferOps h) internal view {
        uint256 count = credit.batchCount();
        uint256 held;
        uint256 cancelled;
        for (uint256 id = 1; id <= count; ++id) {
            (uint256 own, uint256 pooled) = buffer.heldKg(id);
            assertEq(credit.balanceOf(address(buffer), id), own + pooled, "buffer credits != its own + pooled books");
            held += own + pooled;
            cancelled += credit.cancelledKg(id);
        }
        assertEq(buffer.totalBufferKg(), held, "totalBufferKg != the buffer's credits");
        uint256[] memory ids = h.reversals();
        uint256 reversedCancelled;
        for (uint256 k; k < ids.length; ++k) {
            (, uint256 amount, uint256 c, uint256 uncovered, uint256 owed, bool avoidable, , ) = buffer.reversal(
                ids[k]
            );
            assertEq(amount, h.ghostReportedKg(ids[k]), "reversal amount differs from the report");
            assertEq(
                c + uncovered + buffer.remainingKg(ids[k]),
                amount,
                "cancelled + uncovered + remaining != reported"
            );
            if (avoidable) assertEq(owed, amount - h.ghostCompensatedKg(ids[k]), "owed != reported - compensated");
            else assertEq(owed, 0, "an unavoidable reversal is owed");
            reversedCancelled += c;
        }
        assertEq(cancelled, reversedCancelled, "credits cancelled != buffer cancelled by reversals");
    }
}
