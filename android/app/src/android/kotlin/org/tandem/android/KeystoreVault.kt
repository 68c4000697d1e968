package org.tandem.android

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.util.Base64
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import uniffi.tandem_ffi.KeyVault
import uniffi.tandem_ffi.TandemException

/**
 * The store's key, wrapped by the Android Keystore: the core makes a random 32-byte key for the
 * store (`openEncrypted`), and this keeps it encrypted with an AES-GCM key that never leaves
 * the Keystore (hardware-backed where the phone has it), in the app's private preferences.
 * Copying the app's files without the phone's Keystore gives neither key. Not compiled here.
 */
class KeystoreVault(context: Context) : KeyVault {
    private val prefs = context.applicationContext.getSharedPreferences("tandem-keys", Context.MODE_PRIVATE)

    private fun wrappingKey(): SecretKey {
        val keystore = KeyStore.getInstance(KEYSTORE).apply { load(null) }
        (keystore.getKey(ALIAS, null) as? SecretKey)?.let { return it }
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE)
        generator.init(
            KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build(),
        )
        return generator.generateKey()
    }

    override fun load(name: String): ByteArray? {
        val stored = prefs.getString(name, null) ?: return null
        return try {
            val bytes = Base64.decode(stored, Base64.NO_WRAP)
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.DECRYPT_MODE, wrappingKey(), GCMParameterSpec(128, bytes, 0, IV_BYTES))
            cipher.doFinal(bytes, IV_BYTES, bytes.size - IV_BYTES)
        } catch (e: Exception) {
            throw TandemException.KeyNeeded("the key store could not unwrap this store's key: ${e.message}")
        }
    }

    override fun save(name: String, key: ByteArray) {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, wrappingKey())
        val wrapped = cipher.iv + cipher.doFinal(key)
        // commit(), not apply(): the store changes to this key only once it is kept.
        check(prefs.edit().putString(name, Base64.encodeToString(wrapped, Base64.NO_WRAP)).commit()) {
            "the key could not be kept"
        }
    }

    override fun remove(name: String) {
        prefs.edit().remove(name).commit()
    }

    private companion object {
        const val KEYSTORE = "AndroidKeyStore"
        const val ALIAS = "tandem-store-key-wrap"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
    }
}
