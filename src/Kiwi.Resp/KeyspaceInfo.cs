using System.Globalization;
using System.Text;
using Kiwi.Core;

namespace Kiwi.Resp;

/// <summary>INFO keyspace: one <c>dbN:keys=…,expires=…,avg_ttl=0</c> line per database that has keys, as Redis.</summary>
internal static class KeyspaceInfo
{
    /// <summary>Appends the section's lines for every non-empty database of <paramref name="db"/> (O(1) each: the writer's counts).</summary>
    public static void AppendSection(StringBuilder text, KiwiDb db)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        for (int i = 0; i < db.DatabaseCount; i++)
        {
            long keys = db.KeyCount(i);
            if (keys > 0)
            {
                text.Append("db").Append(i.ToString(c)).Append(":keys=").Append(keys.ToString(c))
                    .Append(",expires=").Append(db.ExpiringKeyCount(i).ToString(c)).Append(",avg_ttl=0\r\n");
            }
        }
    }
}
