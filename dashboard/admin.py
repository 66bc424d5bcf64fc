"""Django admin for exports: read-only, for following the worker's jobs.

The workbook itself is never offered here: it holds the lists of the member of staff who
asked for it and is downloaded only by them, through the dashboard (logged)."""

from django.contrib import admin

from .models import ExportJob, MonthlyFigure


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("kind", "user", "status", "progress", "created_at", "finished_at")
    list_filter = ("status", "kind")
    date_hierarchy = "created_at"
    fields = ("kind", "user", "params", "status", "progress", "error", "created_at", "finished_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        """Remove the workbook from the disk with its row: it holds personal data."""
        if obj.output:
            obj.output.delete(save=False)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for job in queryset:
            if job.output:
                job.output.delete(save=False)
        super().delete_queryset(request, queryset)


@admin.register(MonthlyFigure)
class MonthlyFigureAdmin(admin.ModelAdmin):
    """Derived data, shown to check the refresh: never written by hand."""

    list_display = ("month", "figure", "dimension", "total", "count", "refreshed_at")
    list_filter = ("figure",)
    date_hierarchy = "month"
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
