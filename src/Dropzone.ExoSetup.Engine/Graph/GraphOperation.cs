namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>
    /// What a Graph call is for and what it needs, so that "access denied" can tell the admin which
    /// permission or role is missing instead of only that something was refused.
    /// </summary>
    public sealed class GraphOperation
    {
        public GraphOperation(string description, string permissions, string adminRoles)
        {
            Description = description;
            Permissions = permissions;
            AdminRoles = adminRoles;
        }

        public string Description { get; }
        public string Permissions { get; }
        public string AdminRoles { get; }
    }
}
