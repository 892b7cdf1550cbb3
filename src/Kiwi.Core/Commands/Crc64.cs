namespace Kiwi.Core.Commands;

/// <summary>CRC-64/XZ (ECMA-182 polynomial, reflected, initial and final value all ones): the DUMP payload's checksum.</summary>
internal static class Crc64
{
    private const ulong Polynomial = 0xC96C5795D7870F42;
    private static readonly ulong[] s_table = BuildTable();

    /// <summary>The checksum of <paramref name="data"/>; "123456789" gives 0x995DC9BBDF1939FA.</summary>
    public static ulong Compute(ReadOnlySpan<byte> data)
    {
        ulong[] table = s_table;
        ulong crc = ulong.MaxValue;
        foreach (byte b in data)
        {
            crc = table[(byte)(crc ^ b)] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static ulong[] BuildTable()
    {
        var table = new ulong[256];
        for (uint i = 0; i < 256; i++)
        {
            ulong crc = i;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            }

            table[i] = crc;
        }

        return table;
    }
}
