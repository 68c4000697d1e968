package org.tandem.android

import android.content.Context
import android.net.ConnectivityManager
import android.net.Network as AndroidNetwork
import android.net.NetworkCapabilities
import android.os.Handler
import android.os.Looper
import androidx.compose.runtime.mutableStateOf

/**
 * Whether the device has a network to the internet, from ConnectivityManager's callback on the
 * main thread: [onChange] gets each change (MainActivity: `AppState.setOnline`, so the sync
 * service reconnects when the network comes back and says "offline" while there is none), and
 * [online] is the same as Compose state, for TandemApp's `online` when the sync service starts.
 */
class Network(context: Context, private val onChange: (Boolean) -> Unit) {
    private val connectivity = context.getSystemService(ConnectivityManager::class.java)

    private val current = mutableStateOf(false)
    val online: Boolean get() = current.value

    private fun set(online: Boolean) {
        if (current.value == online) return
        current.value = online
        onChange(online)
    }

    private val callback = object : ConnectivityManager.NetworkCallback() {
        override fun onCapabilitiesChanged(network: AndroidNetwork, capabilities: NetworkCapabilities) {
            set(capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET))
        }

        override fun onLost(network: AndroidNetwork) {
            set(false)
        }
    }

    /** Follows the default network (from onStart): its state now, then each change. */
    fun start() {
        set(connectivity.getNetworkCapabilities(connectivity.activeNetwork)
            ?.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET) == true)
        connectivity.registerDefaultNetworkCallback(callback, Handler(Looper.getMainLooper()))
    }

    /** Stops following (from onStop), and counts as offline: the sync service rests meanwhile. */
    fun stop() {
        connectivity.unregisterNetworkCallback(callback)
        set(false)
    }
}
