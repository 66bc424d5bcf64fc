from .aid import (
    AidPurpose,
    Campaign,
    CashDonation,
    Disbursement,
    DisbursementItem,
    ElectronicCard,
    Fund,
    InKindDonation,
    Recommendation,
)
from .documents import Declaration, Document
from .file import BeneficiaryFile, FileNumberSequence, IncomeSource, Member
from .programmes import Attendance, Nomination, Programme, Session
from .research import ManagerReferral, ResearcherAssignment, ResearcherChangeRequest
from .updates import AnnualUpdate, ReportedChange, UpdateRequest

__all__ = [
    "AidPurpose", "Attendance", "Campaign", "CashDonation", "Disbursement", "DisbursementItem", "ElectronicCard",
    "Fund", "InKindDonation", "Nomination", "Programme", "Recommendation", "Session",
    "AnnualUpdate", "BeneficiaryFile", "Declaration", "Document", "FileNumberSequence", "IncomeSource",
    "ManagerReferral", "Member", "ReportedChange", "ResearcherAssignment", "ResearcherChangeRequest",
    "UpdateRequest",
]
