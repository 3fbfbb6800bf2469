namespace TenantEmulator;

/// <summary>
/// Graph's authorization of writes, for Bearer tokens that are JWTs: a write whose token's scp (or,
/// app-only, roles) holds none of the permissions the API reference lists for it gets
/// 403 Authorization_RequestDenied "Insufficient privileges to complete the operation." (Graph docs
/// concepts/errors.md; the "Permissions" tables of application-update, serviceprincipal-post-
/// serviceprincipals, serviceprincipal-update, serviceprincipal-delete,
/// serviceprincipal-post-approleassignedto and serviceprincipal-delete-approleassignedto). Reads are
/// not checked. Consent also needs Application.Read.All (or a permission that includes it).
/// </summary>
public static class GraphPermissions
{
    private static readonly string[] AppWriteDelegated = ["Application.ReadWrite.All", "Directory.AccessAsUser.All", "Directory.ReadWrite.All"];
    private static readonly string[] AppWriteApplication = ["Application.ReadWrite.All", "Application.ReadWrite.OwnedBy"];
    private static readonly string[] AssignmentWrite = ["AppRoleAssignment.ReadWrite.All"];
    private static readonly string[] AppReadDelegated = ["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"];
    private static readonly string[] AppReadApplication = ["Application.Read.All", "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy", "Directory.Read.All", "Directory.ReadWrite.All"];

    /// <summary>The 403 for a write the caller may not make, or null.</summary>
    public static GraphResponse? Deny(GraphRequest request)
    {
        if (request.Caller is not { } caller || request.Method is "GET" or "HEAD") return null;
        var path = request.Path.ToLowerInvariant();
        bool allowed;
        if (path.Contains("/approleassignedto") || path.Contains("/approleassignments"))
            allowed = caller.Holds(AssignmentWrite, AssignmentWrite) && caller.Holds(AppReadDelegated, AppReadApplication);
        else if (path.StartsWith("/applications") || path.StartsWith("/serviceprincipals"))
            allowed = caller.Holds(AppWriteDelegated, AppWriteApplication);
        else
            return null;
        return allowed ? null : GraphResponse.Error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.",
            request.RequestId, request.ClientRequestId);
    }
}
