{
  "targets": [
    {
      "target_name": "calibra_native",
      "sources": [
        "native/addon.cc",
        "native/common.cc",
        "native/conv_common.cc",
        "native/conv2d.cc",
        "native/fused_conv2d.cc",
        "native/conv2d_backprop_input.cc",
        "native/conv2d_backprop_filter.cc",
        "native/depthwise_conv2d_native.cc",
        "native/fused_depthwise_conv2d.cc",
        "native/depthwise_conv2d_native_backprop_input.cc",
        "native/depthwise_conv2d_native_backprop_filter.cc",
        "native/batch_norm_common.cc",
        "native/batch_norm_passes.cc",
        "native/calibra_batch_norm_train.cc",
        "native/calibra_batch_norm_train_grad.cc",
        "native/fused_batch_norm.cc",
        "native/calibra_fused_batch_norm_grad.cc",
        "native/pool_common.cc",
        "native/max_pool.cc",
        "native/avg_pool.cc",
        "native/max_pool_grad.cc",
        "native/avg_pool_grad.cc",
        "native/mat_mul_common.cc",
        "native/batch_mat_mul.cc",
        "native/fused_mat_mul.cc",
        "native/elementwise.cc",
        "native/relu.cc",
        "native/relu6.cc",
        "native/clip_by_value.cc",
        "native/calibra_relu_grad.cc",
        "native/calibra_clip_by_value_grad.cc",
        "native/add.cc",
        "native/multiply.cc",
        "native/sub.cc",
        "native/real_div.cc",
        "native/channel_moments.cc",
        "native/calibra_adam_update.cc",
        "native/calibra_momentum_update.cc"
      ],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": [
        "-std=c++17", "-O3", "-fno-math-errno", "-fexceptions", "-fopenmp", "-Wall", "-Wextra",
        "<!@(pkg-config --cflags dnnl 2>/dev/null || true)"
      ],
      "ldflags": [
        "-fopenmp",
        "<!@(pkg-config --libs-only-L dnnl 2>/dev/null | sed 's/-L/-Wl,-rpath,/g' || true)"
      ],
      "libraries": ["<!@(pkg-config --libs dnnl 2>/dev/null || echo -ldnnl)"]
    }
  ]
}
