namespace Aha.Client
{
    /// <summary>x</summary>
    public class CustomFields { }
    /// <summary>x</summary>
    public class CustomFieldUpdate { }
    /// <summary>x</summary>
    public class Pagination { }
}
