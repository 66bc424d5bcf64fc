from .documents import Declaration, Document
from .file import BeneficiaryFile, FileNumberSequence, IncomeSource, Member
from .research import ManagerReferral, ParticipationRequest, ResearcherAssignment, ResearcherChangeRequest
from .updates import AnnualUpdate, ReportedChange, UpdateNotice, UpdateRequest

__all__ = [
    "AnnualUpdate", "BeneficiaryFile", "Declaration", "Document", "FileNumberSequence", "IncomeSource",
    "ManagerReferral", "Member", "ParticipationRequest", "ReportedChange", "ResearcherAssignment",
    "ResearcherChangeRequest", "UpdateNotice", "UpdateRequest",
]
